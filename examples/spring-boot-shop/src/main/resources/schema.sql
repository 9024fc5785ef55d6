-- The shop's own table.
CREATE TABLE IF NOT EXISTS ticket (
  txid          TEXT PRIMARY KEY,
  rfid          TEXT NOT NULL,
  resort        TEXT NOT NULL,
  purchase_time TEXT NOT NULL,
  days          INTEGER NOT NULL,
  name          TEXT NOT NULL,
  email         TEXT NOT NULL,
  price_usd     NUMERIC NOT NULL
);

-- The outbox of stream "tickets", as the SQLite outbox defines it (docs/sqlite-outbox.md); the relay creates
-- it too, whichever starts first.
CREATE TABLE IF NOT EXISTS outbox_tickets (
  "offset"      INTEGER PRIMARY KEY AUTOINCREMENT,
  payload       TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);

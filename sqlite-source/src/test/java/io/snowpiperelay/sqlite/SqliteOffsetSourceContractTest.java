package io.snowpiperelay.sqlite;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.sqlite.internal.StreamNames;
import io.snowpiperelay.testing.OffsetSourceContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteOffsetSource} keeps the {@link OffsetSourceContract} (core's test-jar), with the default packing. */
class SqliteOffsetSourceContractTest extends OffsetSourceContract {
    private static final String STREAM = "CONTRACT";

    @TempDir
    Path dir;

    private SqliteOutbox outbox;

    @Override
    protected OffsetSource createSource() {
        outbox = SqliteOutbox.open(dir.resolve("outbox.db"), config().build());
        return outbox.openSource(STREAM);
    }

    /** The outbox's settings; small delete chunks so that the contract's deletes span several transactions. */
    protected OutboxConfig.Builder config() {
        return OutboxConfig.builder().deleteChunkRows(4);
    }

    @Override
    protected void append(List<String> jsonPayloads) {
        outbox.appendAll(STREAM, jsonPayloads);
    }

    /** A row inserted and deleted behind the source's back: AUTOINCREMENT never issues its offset again. */
    @Override
    protected boolean leaveGap() throws Exception {
        long offset = outbox.append(STREAM, "{\"k\":\"gone\"}");
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
             Statement st = other.createStatement()) {
            st.executeUpdate("DELETE FROM " + StreamNames.quotedTable(STREAM) + " WHERE \"offset\" = " + offset);
        }
        return true;
    }

    @Override
    protected void release(OffsetSource source) {
        ((SqliteOffsetSource) source).close();
        outbox.close();
    }
}

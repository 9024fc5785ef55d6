package io.snowpiperelay.testkit.catalog;

import io.snowpiperelay.testkit.catalog.SqlLexer.Token;
import java.util.List;

/**
 * The tokens of one statement and a position in them, with the look-ahead, accept and expect steps the
 * {@link SqlParser} is written in, and the errors they raise (naming the line and the statement's first words).
 * Not thread-safe: one instance parses one statement.
 */
abstract class TokenCursor {

    final List<Token> tokens;
    final String text;
    final int line;
    int pos;

    TokenCursor(SqlLexer.StatementTokens statement) {
        this.tokens = statement.tokens();
        this.text = statement.text();
        this.line = statement.line();
    }

    /** A short, literal-free summary of a statement for logs and messages: its first words. */
    static String summary(List<Token> tokens) {
        StringBuilder s = new StringBuilder();
        int words = 0;
        for (Token t : tokens) {
            if (words++ == 8) {
                s.append(" …");
                break;
            }
            if (s.length() > 0) {
                s.append(' ');
            }
            // String literals may carry keys or passwords (ALTER USER … SET PASSWORD='…').
            s.append(t.kind() == SqlLexer.Kind.STRING ? "'…'" : t.kind() == SqlLexer.Kind.QUOTED ? '"' + t.text() + '"' : t.text());
        }
        return s.toString();
    }

    final boolean ifNotExists() {
        if (is(pos, "IF")) {
            pos++;
            expectWord("NOT");
            expectWord("EXISTS");
            return true;
        }
        return false;
    }

    final boolean ifExists() {
        if (is(pos, "IF")) {
            pos++;
            expectWord("EXISTS");
            return true;
        }
        return false;
    }

    final boolean is(int index, String word) {
        return index < tokens.size() && tokens.get(index).isWord(word);
    }

    final boolean isSymbol(int index, String symbol) {
        return index < tokens.size() && tokens.get(index).isSymbol(symbol);
    }

    final boolean peekWord(String... words) {
        if (pos >= tokens.size()) {
            return false;
        }
        for (String w : words) {
            if (tokens.get(pos).isWord(w)) {
                return true;
            }
        }
        return false;
    }

    final boolean acceptWord(String word) {
        if (is(pos, word)) {
            pos++;
            return true;
        }
        return false;
    }

    final boolean acceptSymbol(String symbol) {
        if (isSymbol(pos, symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    final void expectWord(String word) {
        Token t = expect(word);
        if (!t.isWord(word)) {
            throw error("expected " + word + " but found '" + t.text() + "'");
        }
    }

    final void expectSymbol(String symbol, String what) {
        Token t = expect(what);
        if (!t.isSymbol(symbol)) {
            throw error("expected " + what + " but found '" + t.text() + "'");
        }
    }

    final void expectEnd() {
        if (pos < tokens.size()) {
            throw error("unexpected '" + tokens.get(pos).text() + "'");
        }
    }

    final Token expect(String what) {
        if (pos >= tokens.size()) {
            throw error("expected " + what + " but the statement ended");
        }
        return tokens.get(pos++);
    }

    final void skipParenthesized() {
        if (!isSymbol(pos, "(")) {
            return;
        }
        int depth = 0;
        while (pos < tokens.size()) {
            Token t = tokens.get(pos++);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")") && --depth == 0) {
                return;
            }
        }
        throw error("unbalanced parentheses");
    }

    final SqlException error(String message) {
        int at = pos > 0 && pos <= tokens.size() ? tokens.get(Math.min(pos, tokens.size()) - 1).line() : line;
        return new SqlException(at, message + " (in statement starting at line " + line + ": " + summary(tokens) + ")");
    }

    final Statement skipped(String reason) {
        return new Statement.Skipped(text, reason);
    }
}

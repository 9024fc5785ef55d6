package io.snowpiperelay.testkit.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Snowflake SQL script into tokens and statements. Handles what real setup scripts contain:
 * {@code --}, {@code //} and {@code /* *}{@code /} comments, {@code '…'} strings with {@code ''} and
 * backslash escapes, {@code $$…$$} strings (procedure bodies may hold anything, semicolons included),
 * {@code "quoted"} identifiers with {@code ""}, and {@code $1} / {@code $var} references. Any other
 * character becomes a one-character symbol, so unsupported statements never fail to tokenize.
 */
final class SqlLexer {

    /** Token kinds. */
    enum Kind {
        /** An unquoted word: keyword or identifier; text as written. */
        WORD,
        /** A double-quoted identifier; text unquoted and unescaped. */
        QUOTED,
        /** A '…' or $$…$$ string; text unescaped. */
        STRING,
        /** A numeric literal. */
        NUMBER,
        /** {@code $1}, {@code $name}; text includes the dollar. */
        VARIABLE,
        /** Punctuation and operators: {@code ::}, {@code =>}, or one character. */
        SYMBOL
    }

    /**
     * One token.
     *
     * @param start offset of the first character in the script
     * @param end   offset after the last character
     * @param line  1-based line of the first character
     */
    record Token(Kind kind, String text, int start, int end, int line) {
        boolean isWord(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    /** The tokens of one statement (without its terminating semicolon) and where it is in the script. */
    record StatementTokens(List<Token> tokens, String text, int line) {
    }

    private final String sql;
    private int pos;
    private int line = 1;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    /** Tokenizes {@code sql} and groups the tokens into statements separated by {@code ;}; empty statements are dropped. */
    static List<StatementTokens> statements(String sql) {
        List<Token> all = new SqlLexer(sql).tokenize();
        List<StatementTokens> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token t : all) {
            if (t.isSymbol(";")) {
                flush(sql, current, out);
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        flush(sql, current, out);
        return out;
    }

    private static void flush(String sql, List<Token> tokens, List<StatementTokens> out) {
        if (!tokens.isEmpty()) {
            String text = sql.substring(tokens.get(0).start(), tokens.get(tokens.size() - 1).end());
            out.add(new StatementTokens(List.copyOf(tokens), text, tokens.get(0).line()));
        }
    }

    private List<Token> tokenize() {
        List<Token> tokens = new ArrayList<>();
        int n = sql.length();
        while (pos < n) {
            char c = sql.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if ((c == '-' && peek(1) == '-') || (c == '/' && peek(1) == '/')) {
                while (pos < n && sql.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && peek(1) == '*') {
                int startLine = line;
                int close = sql.indexOf("*/", pos + 2);
                if (close < 0) {
                    throw new SqlException(startLine, "unterminated /* comment");
                }
                countLines(pos, close + 2);
                pos = close + 2;
            } else if (c == '\'') {
                tokens.add(quotedString());
            } else if (c == '"') {
                tokens.add(quotedIdentifier());
            } else if (c == '$' && peek(1) == '$') {
                int startLine = line;
                int start = pos;
                int close = sql.indexOf("$$", pos + 2);
                if (close < 0) {
                    throw new SqlException(startLine, "unterminated $$ string");
                }
                countLines(pos, close + 2);
                pos = close + 2;
                tokens.add(new Token(Kind.STRING, sql.substring(start + 2, close), start, pos, startLine));
            } else if (c == '$' && pos + 1 < n && isWordPart(sql.charAt(pos + 1))) {
                int start = pos++;
                while (pos < n && isWordPart(sql.charAt(pos)) && sql.charAt(pos) != '$') {
                    pos++;
                }
                tokens.add(new Token(Kind.VARIABLE, sql.substring(start, pos), start, pos, line));
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < n && isWordPart(sql.charAt(pos))) {
                    pos++;
                }
                tokens.add(new Token(Kind.WORD, sql.substring(start, pos), start, pos, line));
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
                tokens.add(number());
            } else if ((c == ':' && peek(1) == ':') || (c == '=' && peek(1) == '>')) {
                tokens.add(new Token(Kind.SYMBOL, sql.substring(pos, pos + 2), pos, pos + 2, line));
                pos += 2;
            } else {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), pos, pos + 1, line));
                pos++;
            }
        }
        return tokens;
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < sql.length() ? sql.charAt(i) : '\0';
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
        }
    }

    private Token quotedString() {
        int start = pos;
        int startLine = line;
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= sql.length()) {
                throw new SqlException(startLine, "unterminated string literal");
            }
            char c = sql.charAt(pos);
            if (c == '\'') {
                if (peek(1) == '\'') {
                    value.append('\'');
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            if (c == '\\' && pos + 1 < sql.length()) {
                // Snowflake single-quoted strings take backslash escapes (\' \\ \n \t …).
                char e = sql.charAt(pos + 1);
                value.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case '0' -> '\0';
                    default -> e;
                });
                if (e == '\n') {
                    line++;
                }
                pos += 2;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            value.append(c);
            pos++;
        }
        return new Token(Kind.STRING, value.toString(), start, pos, startLine);
    }

    private Token quotedIdentifier() {
        int start = pos;
        int startLine = line;
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= sql.length()) {
                throw new SqlException(startLine, "unterminated quoted identifier");
            }
            char c = sql.charAt(pos);
            if (c == '"') {
                if (peek(1) == '"') {
                    value.append('"');
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            if (c == '\n') {
                line++;
            }
            value.append(c);
            pos++;
        }
        if (value.length() == 0) {
            throw new SqlException(startLine, "empty quoted identifier \"\"");
        }
        return new Token(Kind.QUOTED, value.toString(), start, pos, startLine);
    }

    private Token number() {
        int start = pos;
        int n = sql.length();
        while (pos < n && Character.isDigit(sql.charAt(pos))) {
            pos++;
        }
        if (pos < n && sql.charAt(pos) == '.') {
            pos++;
            while (pos < n && Character.isDigit(sql.charAt(pos))) {
                pos++;
            }
        }
        if (pos < n && (sql.charAt(pos) == 'e' || sql.charAt(pos) == 'E')) {
            int save = pos++;
            if (pos < n && (sql.charAt(pos) == '+' || sql.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < n && Character.isDigit(sql.charAt(pos))) {
                while (pos < n && Character.isDigit(sql.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        return new Token(Kind.NUMBER, sql.substring(start, pos), start, pos, line);
    }
}

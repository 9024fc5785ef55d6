package io.snowpiperelay.testkit.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.testkit.catalog.SqlLexer.Kind;
import io.snowpiperelay.testkit.catalog.SqlLexer.StatementTokens;
import io.snowpiperelay.testkit.catalog.SqlLexer.Token;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlLexerTest {

    private static List<String> texts(String sql) {
        return SqlLexer.statements(sql).stream().map(StatementTokens::text).toList();
    }

    @Test
    void commentsOfAllThreeKindsAreIgnored() {
        List<StatementTokens> st = SqlLexer.statements("""
                -- a; b
                // c; d
                /* e;
                   f */ SELECT 1; /* trailing */
                SELECT -- inline; comment
                  2 // more
                ;
                """);
        assertThat(st).hasSize(2);
        assertThat(st.get(0).tokens()).extracting(Token::text).containsExactly("SELECT", "1");
        assertThat(st.get(0).line()).isEqualTo(4);
        assertThat(st.get(1).tokens()).extracting(Token::text).containsExactly("SELECT", "2");
        assertThat(st.get(1).line()).isEqualTo(5);
    }

    @Test
    void stringsKeepSemicolonsAndUnescape() {
        List<StatementTokens> st = SqlLexer.statements("SELECT 'a;b', 'it''s', 'back\\'slash\\\\', 'line\\nbreak', $$x; 'y' $$; SELECT 2");
        assertThat(st).hasSize(2);
        assertThat(st.get(0).tokens()).filteredOn(t -> t.kind() == Kind.STRING).extracting(Token::text)
                .containsExactly("a;b", "it's", "back'slash\\", "line\nbreak", "x; 'y' ");
    }

    @Test
    void quotedIdentifiersKeepCaseSpacesAndDoubledQuotes() {
        List<Token> t = SqlLexer.statements("CREATE TABLE \"my \"\"odd\"\" Table;\" (x INT)").get(0).tokens();
        assertThat(t.get(2)).extracting(Token::kind, Token::text).containsExactly(Kind.QUOTED, "my \"odd\" Table;");
    }

    @Test
    void variablesPathsAndOperators() {
        List<Token> t = SqlLexer.statements("SELECT $1:a.b::NUMBER(7,2), $var, x => 'y', SYSTEM$FN(1.5e3)").get(0).tokens();
        assertThat(t).extracting(Token::text).containsExactly("SELECT", "$1", ":", "a", ".", "b", "::", "NUMBER", "(", "7",
                ",", "2", ")", ",", "$var", ",", "x", "=>", "'y'".replace("'", ""), ",", "SYSTEM$FN", "(", "1.5e3", ")");
        assertThat(t.get(1).kind()).isEqualTo(Kind.VARIABLE);
        assertThat(t.get(20).kind()).isEqualTo(Kind.WORD);
        assertThat(t.get(22).kind()).isEqualTo(Kind.NUMBER);
    }

    @Test
    void emptyStatementsAreDropped() {
        assertThat(texts(";;  ; -- nothing\n ; SELECT 1 ;;")).containsExactly("SELECT 1");
    }

    @Test
    void linesAreCountedThroughMultiLineTokens() {
        List<StatementTokens> st = SqlLexer.statements("SELECT 'a\nb';\n/* x\ny */\nSELECT $$\n\n$$;\nSELECT \"q\nq\";\nSELECT 4");
        assertThat(st).extracting(StatementTokens::line).containsExactly(1, 5, 8, 10);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SELECT 'abc|line 1: unterminated string literal",
            "SELECT 1;\\n/* never closed|line 2: unterminated /* comment",
            "SELECT $$ body|line 1: unterminated $$ string",
            "SELECT \"abc|line 1: unterminated quoted identifier",
            "SELECT \"\"|line 1: empty quoted identifier",
    })
    void lexicalErrorsNameTheLine(String sql, String message) {
        assertThatThrownBy(() -> SqlLexer.statements(sql.replace("\\n", "\n")))
                .isInstanceOf(SqlException.class).hasMessageContaining(message);
    }
}

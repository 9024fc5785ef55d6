package io.snowpiperelay.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md quotes the messages an operator sees ({@code > `message`} lines, {@code <...>} for the values
 * filled in): every literal part of each quoted message must still be written by the code (a string literal of
 * the main sources, adjacent literals joined as the compiler joins them). A message that is changed or removed in
 * the code fails here until the operations guide follows.
 */
class OperationsDocTest {
    private static final Path OPERATIONS = DocLinksTest.ROOT.resolve("docs").resolve("operations.md");
    private static final Pattern QUOTED = Pattern.compile("^> `(.+)`\\s*$");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]*>");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern JOIN = Pattern.compile("\"\\s*\\+\\s*\"");
    private static final List<String> MAIN_SOURCES = List.of("core", "sqlite-source", "examples");
    /** Parts this short (after trimming) say nothing on their own: punctuation between placeholders. */
    private static final int MIN_PART = 4;

    static List<String> quotedMessages() throws IOException {
        List<String> messages = new ArrayList<>();
        for (String line : Files.readAllLines(OPERATIONS)) {
            Matcher m = QUOTED.matcher(line);
            if (m.matches()) {
                messages.add(m.group(1));
            }
        }
        return messages;
    }

    /** Every string literal of the main sources, with {@code "a" + "b"} joined into {@code ab}. */
    static String codeLiterals() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String module : MAIN_SOURCES) {
            try (Stream<Path> files = Files.walk(DocLinksTest.ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String joined = JOIN.matcher(Files.readString(file)).replaceAll("");
                    Matcher m = LITERAL.matcher(joined);
                    while (m.find()) {
                        all.append(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\")).append('\u0000');
                    }
                }
            }
        }
        return all.toString();
    }

    static List<String> parts(String message) {
        List<String> parts = new ArrayList<>();
        for (String part : PLACEHOLDER.split(message)) {
            if (part.trim().length() >= MIN_PART) {
                parts.add(part.trim());
            }
        }
        return parts;
    }

    @Test
    void everyQuotedMessageIsWrittenByTheCode() throws IOException {
        List<String> messages = quotedMessages();
        assertThat(messages).as("messages quoted in docs/operations.md").hasSizeGreaterThan(20);
        String code = codeLiterals();
        List<String> missing = new ArrayList<>();
        for (String message : messages) {
            for (String part : parts(message)) {
                if (!code.contains(part)) {
                    missing.add("'" + part + "' of: " + message);
                }
            }
        }
        assertThat(missing).as("quoted in docs/operations.md but written nowhere in the code").isEmpty();
    }

    @Test
    void theCheckFailsForAMessageTheCodeDoesNotWrite() throws IOException {
        String code = codeLiterals();
        assertThat(parts("channel <c>: the relay fell asleep at <offset>"))
                .containsExactly("channel", ": the relay fell asleep at");
        assertThat(code).doesNotContain(": the relay fell asleep at");
        assertThat(code).contains("cannot reach the service at ");
    }

    @Test
    void theMessagesOfThisIssueAreDocumented() throws IOException {
        String doc = String.join("\n", quotedMessages());
        assertThat(doc).contains("cannot reach the service at <url> since <time>: <cause>")
                .contains("client profile: file not found: <absolute path>")
                .contains("is not valid JSON at line <L>, column <C>")
                .contains("unknown key '<key>'; accepted keys:")
                .contains("not a PKCS#8 RSA key");
    }
}

package io.snowpiperelay.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's docs stand on their own: every relative link in README.md and docs/*.md points at a file of the
 * repository, and every {@code #anchor} at a heading of its target (GitHub's anchor rules).
 */
class DocLinksTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    // [text](target) and ![alt](target); the target ends at the first space or ')'
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    /** "DESIGN.md", "DESIGN §8", "DESIGN invariant 8", "DESIGN section 3": the design notes outside the repo. */
    private static final Pattern OUTSIDE_DESIGN = Pattern.compile("DESIGN(\\.md|\\s*§|\\s+invariant|\\s+section)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** The text outside fenced code blocks and inline code, line by line. */
    static List<String> proseLines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file)) {
            if (line.trim().startsWith("```")) {
                fenced = !fenced;
                out.add("");
                continue;
            }
            out.add(fenced ? "" : line.replaceAll("`[^`]*`", "``"));
        }
        return out;
    }

    /** GitHub's anchors of a file's headings: lower case, punctuation dropped, spaces to '-', repeats numbered. */
    static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file)) {
            if (line.trim().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (fenced || !m.matches()) {
                continue;
            }
            String slug = m.group(2).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : markdownFiles()) {
            List<String> lines = proseLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = LINK.matcher(lines.get(i));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                        continue; // https:, mailto:, ...
                    }
                    checked++;
                    String where = ROOT.relativize(file) + ":" + (i + 1) + ": " + target;
                    int hash = target.indexOf('#');
                    String pathPart = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = pathPart.isEmpty() ? file : file.getParent().resolve(pathPart).normalize();
                    if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                        broken.add(where + " (no such file)");
                    } else if (hash >= 0 && resolved.toString().endsWith(".md")
                            && !anchors(resolved).contains(target.substring(hash + 1))) {
                        broken.add(where + " (no such heading; headings: " + anchors(resolved) + ")");
                    }
                }
            }
        }
        assertThat(checked).as("relative links found").isGreaterThan(10);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void theDocsDoNotSendReadersOutsideTheProject() throws IOException {
        List<String> outside = new ArrayList<>();
        for (Path file : markdownFiles()) {
            List<String> lines = proseLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE_DESIGN.matcher(lines.get(i)).find()) {
                    outside.add(ROOT.relativize(file) + ":" + (i + 1));
                }
            }
        }
        assertThat(outside).as("references to a DESIGN.md the repository does not have").isEmpty();
    }

    @Test
    void theCodeCommentsDoNotSendReadersOutsideTheProjectEither() throws IOException {
        List<String> outside = new ArrayList<>();
        try (Stream<Path> all = Files.walk(ROOT)) {
            List<Path> files = all.filter(Files::isRegularFile)
                    .filter(p -> p.toString().matches(".*\\.(java|sh|py|xml)$"))
                    .filter(p -> !ROOT.relativize(p).toString().matches("(.*/)?(target|\\.git|node_modules)/.*"))
                    .filter(p -> !p.getFileName().toString().equals("DocLinksTest.java")) // it names the pattern
                    .sorted().toList();
            for (Path file : files) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (OUTSIDE_DESIGN.matcher(lines.get(i)).find()) {
                        outside.add(ROOT.relativize(file) + ":" + (i + 1));
                    }
                }
            }
            assertThat(files).as("source files scanned").hasSizeGreaterThan(100);
        }
        assertThat(outside).as("comments citing a DESIGN.md the repository does not have; cite docs/ instead")
                .isEmpty();
    }

    @Test
    void theAnchorRulesMatchGithub() throws IOException {
        Path tmp = Files.createTempFile("anchors", ".md");
        try {
            Files.writeString(tmp, "# Outside `RunnerConfig`\n## 1.1 The dashboard\n## Logging\n## Logging\n"
                    + "```\n# not a heading\n```\n");
            assertThat(anchors(tmp)).containsExactlyInAnyOrder("outside-runnerconfig", "11-the-dashboard",
                    "logging", "logging-1");
        } finally {
            Files.delete(tmp);
        }
    }
}

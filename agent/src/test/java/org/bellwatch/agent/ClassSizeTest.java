package org.bellwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md, habit 11: a class over 400 lines opens with a design note saying why it must be one
 * class. Counted as {@code wc -l} counts, over every Java source under {@code src/main/java}.
 */
class ClassSizeTest {
  static final int MAX_LINES = 400;
  static final String NOTE = "Design note";

  @Test
  void everyMainClassOverFourHundredLinesHasADesignNote() {
    Path main = Path.of("src/main/java");
    assertThat(main).isDirectory();
    assertThat(longClassesWithoutANote(main))
        .as("classes over %d lines without \"%s\" in their source", MAX_LINES, NOTE)
        .isEmpty();
  }

  @Test
  void aLongClassWithoutANoteIsNamedWithItsLength(@TempDir Path dir) throws IOException {
    Path pkg = Files.createDirectories(dir.resolve("org/example"));
    Files.writeString(pkg.resolve("Long.java"), lines("class Long {", MAX_LINES));
    Files.writeString(pkg.resolve("Noted.java"), lines("/** Design note. Why. */", MAX_LINES + 50));
    Files.writeString(pkg.resolve("Short.java"), lines("class Short {", MAX_LINES - 1));

    assertThat(longClassesWithoutANote(dir))
        .containsExactly("org/example/Long.java: " + (MAX_LINES + 1) + " lines");
  }

  /** The first line, then filler lines up to {@code total + 1} lines, each ending in a newline. */
  private static String lines(String first, int total) {
    return first + "\n" + "  // line\n".repeat(total);
  }

  /** "path: N lines" for each Java file below {@code root} too long and without a design note. */
  static List<String> longClassesWithoutANote(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .sorted()
          .map(f -> tooLong(root, f))
          .filter(s -> s != null)
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tooLong(Path root, Path file) {
    try {
      List<String> text = Files.readAllLines(file);
      if (text.size() <= MAX_LINES || text.stream().anyMatch(l -> l.contains(NOTE))) {
        return null;
      }
      return root.relativize(file).toString().replace('\\', '/') + ": " + text.size() + " lines";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

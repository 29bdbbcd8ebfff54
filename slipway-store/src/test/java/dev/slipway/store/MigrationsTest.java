package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

  /** The fast path on open compares the history with VERSIONS: a new script must be listed there. */
  @Test
  void versions_listEveryScriptInTheMigrationFolder() throws Exception {
    Path folder = Path.of(Migrations.class.getClassLoader().getResource(Migrations.LOCATION).toURI());
    try (Stream<Path> files = Files.list(folder)) {
      var versions = files.map(f -> f.getFileName().toString()).map(name -> {
        Matcher m = SCRIPT.matcher(name);
        assertThat(m.matches()).as("%s is named V<n>__<words>.sql", name).isTrue();
        return m.group(1);
      }).sorted().toList();
      assertThat(versions).isEqualTo(Migrations.VERSIONS);
    }
  }
}

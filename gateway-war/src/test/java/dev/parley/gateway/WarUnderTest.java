package dev.parley.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.Filter;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The war under test, put together the way the build puts it together: this module's own packages
 * (only the classes compiled from src/main, although test classes share the packages), the
 * libraries the build packaged into {@code WEB-INF/lib} (common-ejb with its persistence unit and
 * migrations, and its dependencies), and the module's resources and web content.
 */
final class WarUnderTest {

  private WarUnderTest() {}

  /**
   * @param name the archive name, which is also the context root Payara Micro deploys it at
   * @param rootPackage this module's root package
   * @param finalName the module's build final name (the war plugin's webapp directory in target/)
   */
  static WebArchive assemble(String name, String rootPackage, String finalName) {
    Path mainClasses = Path.of("target", "classes");
    Filter<ArchivePath> compiledFromMain =
        path -> Files.isRegularFile(mainClasses.resolve(path.get().substring(1)));
    WebArchive war =
        ShrinkWrap.create(WebArchive.class, name).addPackages(true, compiledFromMain, rootPackage);
    Path libraries = Path.of("target", finalName, "WEB-INF", "lib");
    if (!Files.isDirectory(libraries)) {
      throw new IllegalStateException(
          libraries.toAbsolutePath() + " is missing: package the module first (mvn verify does)");
    }
    eachFile(libraries, (jar, path) -> war.addAsLibrary(jar.toFile()));
    eachFile(Path.of("src/main/resources"), (file, path) -> war.addAsResource(file.toFile(), path));
    eachFile(Path.of("src/main/webapp"), (file, path) -> war.addAsWebResource(file.toFile(), path));
    return war;
  }

  /** Every regular file under {@code dir}, with its path relative to it. */
  private static void eachFile(Path dir, BiConsumer<Path, String> action) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(f -> action.accept(f, dir.relativize(f).toString().replace('\\', '/')));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

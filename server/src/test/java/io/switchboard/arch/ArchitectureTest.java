package io.switchboard.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the compiled classes: arrows point down the flow of a
 * message, so no package cycle exists, the core knows no front end, and no front end knows another.
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.switchboard");
    assertThat(classes.size()).as("classes found").isGreaterThan(100);
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.switchboard.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void onlyTheEntryPointKnowsTheRootPackage() {
    // Main and Switchboard compose everything; nothing below may reach back up to them.
    noClasses().that().resideOutsideOfPackage("io.switchboard")
        .should().dependOnClassesThat().resideInAPackage("io.switchboard")
        .check(classes);
  }

  @Test
  void theServerApiKnowsNothingOfTheWebSocketFrontEnd() {
    noClasses().that().resideInAPackage("io.switchboard.api..")
        .should().dependOnClassesThat().resideInAnyPackage("io.switchboard.gateway..", "io.switchboard.transport..")
        .check(classes);
  }

  @Test
  void theCoreKnowsNoFrontEndAndNoWireFormat() {
    noClasses().that().resideInAnyPackage("io.switchboard.core..", "io.switchboard.broker..",
            "io.switchboard.cluster..", "io.switchboard.presence..", "io.switchboard.history..",
            "io.switchboard.channel..", "io.switchboard.model..")
        .should().dependOnClassesThat().resideInAnyPackage("io.switchboard.gateway..", "io.switchboard.api..",
            "io.switchboard.transport..", "io.switchboard.http..", "io.switchboard.protocol..",
            "io.switchboard.codec.json..")
        .check(classes);
  }

  @Test
  void theModelStandsOnNothingOfOurs() {
    noClasses().that().resideInAPackage("io.switchboard.model..")
        .should().dependOnClassesThat().resideOutsideOfPackages("io.switchboard.model..", "java..", "io.vertx..",
            "com.fasterxml..")
        .check(classes);
  }

  @Test
  void classesOfTheCoreAndTheEdgesStaySmall() throws IOException {
    Path main = Path.of("src/main/java/io/switchboard");
    List<String> tooLong;
    try (Stream<Path> files = Files.walk(main)) {
      tooLong = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> Stream.of("core", "gateway", "api", "transport", "codec", "http", "broker")
              .anyMatch(pkg -> main.relativize(f).startsWith(pkg)))
          .filter(f -> lines(f) > 400)
          .map(f -> main.relativize(f) + " (" + lines(f) + " lines)")
          .toList();
    }
    assertThat(tooLong).as("classes over 400 lines").isEmpty();
  }

  private static long lines(Path f) {
    try (Stream<String> l = Files.lines(f)) {
      return l.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

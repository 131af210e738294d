package io.docqa;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The features of {@code io.docqa} and which of them each may use. A new dependency between features, a cycle, a class
 * outside every feature or LangChain4j outside {@code ai} fails here: change the table on purpose, not by accident.
 * Across features only public types of a feature's own package are visible (Java sees to that for the package itself;
 * the rule on sub-packages below keeps a feature's sub-packages its own).
 */
class ArchitectureTest {

    /** Feature -> the features it may use. {@code web} is the shared HTTP plumbing (errors, request reading) and uses none. */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "web", Set.of(),
            "tenant", Set.of("web"),
            "limits", Set.of("tenant", "web"),
            "auth", Set.of("limits", "tenant", "web"),
            "ai", Set.of("tenant"),
            "document", Set.of("ai", "limits", "tenant", "web"),
            "chat", Set.of("ai", "document", "limits", "tenant", "web"),
            "config", Set.of("ai", "limits"));

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.docqa");
        assertThat(main).as("classes of io.docqa found").hasSizeGreaterThan(100);
    }

    static Stream<String> features() {
        return ALLOWED.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("features")
    void aFeatureUsesOnlyTheFeaturesItIsAllowedTo(String feature) {
        String[] allowed = Stream.concat(Stream.of(feature), ALLOWED.get(feature).stream())
                .map(name -> "io.docqa." + name + "..").toArray(String[]::new);
        classes().that().resideInAPackage("io.docqa." + feature + "..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.docqa..").or(resideInAnyPackage(allowed)))
                .because("the allowed dependencies of '" + feature + "' are " + ALLOWED.get(feature))
                .check(main);
    }

    @Test
    void everyClassBelongsToAFeature() {
        String[] features = features().map(name -> "io.docqa." + name + "..").toArray(String[]::new);
        classes().that(not(JavaClass.Predicates.equivalentTo(DocqaApplication.class)))
                .should().resideInAnyPackage(features)
                .because("a new package needs its row in ArchitectureTest.ALLOWED")
                .check(main);
    }

    @Test
    void featuresFormNoCycle() {
        slices().matching("io.docqa.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void aFeaturesSubPackagesAreItsOwn() {
        features().forEach(feature -> noClasses().that().resideOutsideOfPackage("io.docqa." + feature + "..")
                .should().dependOnClassesThat(resideInAPackage("io.docqa." + feature + ".*.."))
                .because("a sub-package of '" + feature + "' is internal to it")
                .allowEmptyShould(true)
                .check(main));
    }

    @Test
    void onlyAiTalksToLangChain4j() {
        noClasses().that().resideOutsideOfPackage("io.docqa.ai..")
                .should().dependOnClassesThat().resideInAPackage("dev.langchain4j..")
                .check(main);
    }
}

package io.docqa.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns a heading, an API definition or an index term into a question a user could ask, in one of a few wordings. */
final class QuestionWording {

    /** Verbs that open some module descriptions ("binascii — Convert between binary and ASCII"). */
    private static final Set<String> VERBS = Set.of("convert", "parse", "trace", "read", "write", "manipulate", "access",
            "compile", "create", "interpret", "generate", "launch", "run", "wait", "display", "translate", "serialize",
            "measure", "find", "inspect", "extract", "format", "encode", "decode");

    private final Random random;

    QuestionWording(Random random) {
        this.random = random;
    }

    /** A question about a whole page, from its title: "json — JSON encoder and decoder", "Classes". */
    String title(String title) {
        int dash = title.indexOf(" — ");
        if (dash > 0) {
            String purpose = lowerCase(title.substring(dash + 3));
            return VERBS.contains(purpose.split("\\s+")[0]) ? "Which module can I use to " + purpose + "?"
                    : "Which module provides " + purpose + "?";
        }
        return topic(title, "");
    }

    /** A question about a section of a page about {@code subject} ("json", "pip", "Classes"). */
    String heading(String heading, String subject) {
        boolean named = subject.isBlank() || heading.toLowerCase(Locale.ROOT).contains(subject.toLowerCase(Locale.ROOT));
        return topic(heading, named ? "" : " in " + lowerCase(subject));
    }

    private String topic(String heading, String context) {
        String first = heading.split("\\s+")[0];
        if (first.matches("(?i)how|what|why|when|which|where")) {
            return heading.replaceFirst("\\?$", "") + context + "?";
        }
        String topic = lowerCase(heading) + context;
        if (first.matches("[A-Z][a-z]+ing")) {
            return pick("How do I go about " + topic + "?", "Explain " + topic + ".");
        }
        String be = lowerCase(heading).matches(".*[a-z][^s]s") ? "What are " : "What is ";
        return pick(be + topic + "?", "Explain " + topic + ".", "What should I know about " + topic + "?",
                "Tell me about " + topic + ".");
    }

    String definition(PageOutline.Definition definition) {
        String name = definition.name();
        return switch (definition.kind()) {
            case "function", "method", "classmethod", "staticmethod" ->
                    pick("What does " + name + "() do?", "How do I use " + name + "()?", "What is " + name + "() for?");
            case "class" -> pick("What is the " + name + " class for?", "How do I use the " + name + " class?");
            case "exception" -> pick("When is " + name + " raised?", "What does the " + name + " exception mean?");
            case "decorator" -> "What does the @" + name + " decorator do?";
            default -> pick("What is " + name + "?", "What does " + name + " hold?");
        };
    }

    String indexTerm(String term) {
        return pick("What is " + term + "?", "Where is " + term + " explained?", "Tell me about " + term + ".");
    }

    /** A follow-up that names another entry of the same page by its short name only ("And what about loads?"). */
    String followUp(PageOutline.Definition other) {
        String name = other.shortName() + (other.kind().contains("method") || other.kind().equals("function") ? "()" : "");
        return pick("And what about " + name + "?", "And " + name + "?", "What about " + name + " then?");
    }

    /** A follow-up that names nothing: only the conversation says what "it" is. */
    String vagueFollowUp(PageOutline.Definition first) {
        return switch (first.kind()) {
            case "function", "method", "classmethod", "staticmethod" ->
                    pick("What does it return?", "Can you show an example of calling it?", "What arguments does it take?");
            case "class" -> pick("How do I create one?", "What methods does it have?");
            case "exception" -> pick("How do I handle it?", "What does it inherit from?");
            default -> pick("What is its default value?", "Can you show an example?");
        };
    }

    private String pick(String... wordings) {
        return wordings[random.nextInt(wordings.length)];
    }

    /** "Reading and Writing Files" -> "reading and writing files"; acronyms and code names keep their case. */
    private static String lowerCase(String text) {
        List<String> words = Arrays.asList(text.strip().split("\\s+"));
        return words.stream().map(word -> word.matches("[A-Z][a-z]+") ? word.toLowerCase() : word).collect(Collectors.joining(" "));
    }
}

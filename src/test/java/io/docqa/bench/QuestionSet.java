package io.docqa.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The questions of {@link RetrievalBenchmark}, all known to be answered by one page (or, for a few index entries, two)
 * without asking a model: drawn at random with a fixed seed from the corpus's headings, API definitions and index
 * entries, a few per page in turn so that long pages do not dominate; follow-up pairs; off-topic questions and near
 * misses. A question
 * about a section names the page's subject, as a user would ("... in json?"): a heading alone ("General rules") is
 * often no question at all.
 */
record QuestionSet(List<Question> inCorpus, List<FollowUp> followUps, List<String> offTopic, List<String> nearMisses) {

    /** {@code pages}: the corpus pages ({@code library/json.html}) that answer it. */
    record Question(String text, String kind, Set<String> pages) {
    }

    /** A question, then a follow-up asked in the same conversation, both answered by the first one's page. */
    record FollowUp(Question first, Question followUp) {
    }

    /** Headings too generic to have one right page even when only one page of the corpus has them. */
    private static final Set<String> GENERIC = Set.of("examples", "example", "notes", "footnotes", "introduction",
            "overview", "module contents", "functions", "classes", "constants", "exceptions", "usage", "see also",
            "reference", "contents", "command-line interface", "command line interface", "command-line usage",
            "basic usage", "background", "limitations", "public functions", "module functions", "other functions",
            "utilities", "security considerations", "table of contents", "api", "availability", "summary");
    private static final int MAX_WORDS = 9;

    static QuestionSet build(RetrievalCorpus corpus, long seed, int inCorpusCount, int followUpCount) {
        Random random = new Random(seed);
        QuestionWording wording = new QuestionWording(random);
        List<PageOutline> outlines = corpus.pages().stream().map(PageOutline::read).toList();
        Set<String> corpusPages = corpus.pages().stream().map(RetrievalCorpus.Page::name).collect(Collectors.toSet());

        Map<String, Long> headingCounts = outlines.stream()
                .flatMap(outline -> Stream.concat(Stream.of(outline.title()), outline.headings().stream()))
                .collect(Collectors.groupingBy(QuestionSet::normalized, Collectors.counting()));
        Map<String, List<Question>> headings = perPage(outlines, outline -> {
            List<Question> page = new ArrayList<>();
            Set<String> pages = Set.of(outline.page().name());
            if (usable(outline.title(), headingCounts)) {
                page.add(new Question(wording.title(outline.title()), "heading", pages));
            }
            outline.headings().stream().filter(heading -> usable(heading, headingCounts))
                    .forEach(heading -> page.add(new Question(wording.heading(heading, outline.subject()), "heading", pages)));
            return page;
        });
        Map<String, List<Question>> definitions = perPage(outlines, outline -> outline.definitions().stream()
                .map(definition -> new Question(wording.definition(definition), "definition", Set.of(outline.page().name())))
                .toList());
        Map<String, List<Question>> index = indexQuestions(corpus, corpusPages, wording);

        List<Question> inCorpus = new ArrayList<>();
        inCorpus.addAll(roundRobin(headings, inCorpusCount * 2 / 5, random));
        inCorpus.addAll(roundRobin(definitions, inCorpusCount * 7 / 20, random));
        inCorpus.addAll(roundRobin(index, inCorpusCount - inCorpus.size(), random));
        return new QuestionSet(inCorpus, followUps(outlines, followUpCount, wording, random), OffTopicQuestions.offTopic(),
                OffTopicQuestions.nearMisses());
    }

    private static Map<String, List<Question>> indexQuestions(RetrievalCorpus corpus, Set<String> corpusPages,
            QuestionWording wording) {
        List<IndexEntries.Entry> entries = IndexEntries.read(corpus.index());
        Map<String, Long> termCounts = entries.stream().collect(Collectors.groupingBy(entry -> normalized(entry.term()), Collectors.counting()));
        Map<String, List<Question>> questions = new LinkedHashMap<>();
        for (IndexEntries.Entry entry : entries) {
            Set<String> pages = entry.pages().stream().filter(corpusPages::contains).collect(Collectors.toSet());
            if (pages.isEmpty() || pages.size() > 2 || termCounts.get(normalized(entry.term())) > 1
                    || !entry.term().matches(".*[A-Za-z]{3}.*") || entry.term().split("\\s+").length > MAX_WORDS) {
                continue;
            }
            questions.computeIfAbsent(pages.iterator().next(), page -> new ArrayList<>())
                    .add(new Question(wording.indexTerm(entry.term()), "index", pages));
        }
        return questions;
    }

    private static List<FollowUp> followUps(List<PageOutline> outlines, int count, QuestionWording wording, Random random) {
        Map<String, List<FollowUp>> pairs = perPage(outlines, outline -> {
            List<PageOutline.Definition> definitions = outline.definitions();
            List<FollowUp> page = new ArrayList<>();
            Set<String> pages = Set.of(outline.page().name());
            for (int i = 0; i + 1 < definitions.size(); i += 2) {
                PageOutline.Definition first = definitions.get(i);
                PageOutline.Definition other = definitions.get(i + 1);
                Question asked = new Question(wording.definition(first), "definition", pages);
                boolean vague = random.nextInt(4) == 0 || other.shortName().equals(first.shortName());
                page.add(new FollowUp(asked, new Question(vague ? wording.vagueFollowUp(first) : wording.followUp(other),
                        vague ? "vague follow-up" : "follow-up", pages)));
            }
            return page;
        });
        return roundRobin(pairs, count, random);
    }

    private static <T> Map<String, List<T>> perPage(List<PageOutline> outlines, Function<PageOutline, List<T>> items) {
        Map<String, List<T>> byPage = new LinkedHashMap<>();
        for (PageOutline outline : outlines) {
            List<T> list = items.apply(outline);
            if (!list.isEmpty()) {
                byPage.put(outline.page().name(), list);
            }
        }
        return byPage;
    }

    /** {@code count} items: one from each page (in a shuffled order) in turn, each page's own items shuffled. */
    private static <T> List<T> roundRobin(Map<String, List<T>> byPage, int count, Random random) {
        List<String> pages = new ArrayList<>(byPage.keySet());
        Collections.shuffle(pages, random);
        Map<String, List<T>> shuffled = new HashMap<>();
        for (String page : pages) {
            List<T> items = new ArrayList<>(byPage.get(page));
            Collections.shuffle(items, random);
            shuffled.put(page, items);
        }
        List<T> chosen = new ArrayList<>();
        Set<String> exhausted = new HashSet<>();
        for (int round = 0; chosen.size() < count && exhausted.size() < pages.size(); round++) {
            for (String page : pages) {
                List<T> items = shuffled.get(page);
                if (round >= items.size()) {
                    exhausted.add(page);
                } else if (chosen.size() < count) {
                    chosen.add(items.get(round));
                }
            }
        }
        return chosen;
    }

    private static boolean usable(String heading, Map<String, Long> counts) {
        if (heading.isBlank()) {
            return false;
        }
        String key = normalized(heading);
        int words = heading.split("\\s+").length;
        boolean oneCommonWord = words == 1 && heading.matches("[A-Za-z][a-z]+");
        return counts.get(key) == 1 && !GENERIC.contains(key) && key.length() >= 4 && words <= MAX_WORDS && !oneCommonWord
                && heading.matches(".*[A-Za-z]{3}.*");
    }

    private static String normalized(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }
}

package io.docqa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retrieval benchmark's questions from Sphinx-shaped pages: what is asked, and which page is right. */
class QuestionSetTest {

    @TempDir
    Path dir;

    @Test
    void questionsComeFromTitlesSectionsDefinitionsAndTheIndexEachWithItsPage() throws IOException {
        RetrievalCorpus corpus = new RetrievalCorpus(List.of(
                page("library/json.html", "json — JSON encoder and decoder", "General rules", "json.dumps", "json.loads"),
                page("library/pickle.html", "pickle — Python object serialization", "Examples", "pickle.dumps", "pickle.loads"),
                page("library/csv.html", "csv — CSV File Reading and Writing", "Examples", "csv.reader", "csv.writer")),
                write("genindex-all.html", """
                        <table class="indextable genindextable"><tr><td><ul>
                        <li><a href="library/pickle.html#index-3">persistence</a></li>
                        <li>environment variable<ul><li><a href="library/json.html#index-1">JSONPATH</a></li></ul></li>
                        <li><a href="library/os.html#index-9">outside the corpus</a></li>
                        </ul></td></tr></table>"""));

        QuestionSet questions = QuestionSet.build(corpus, 1, 12, 3);

        assertThat(questions.inCorpus()).extracting(QuestionSet.Question::text).contains(
                "Which module provides JSON encoder and decoder?");
        assertThat(questions.inCorpus()).filteredOn(question -> question.text().contains("general rules in json"))
                .singleElement().extracting(QuestionSet.Question::pages).isEqualTo(Set.of("library/json.html"));
        assertThat(questions.inCorpus()).noneMatch(question -> question.text().toLowerCase().contains("examples"));
        assertThat(questions.inCorpus()).filteredOn(question -> question.kind().equals("definition")).hasSize(4)
                .allSatisfy(question -> assertThat(question.pages()).containsExactly(
                        "library/" + question.text().replaceFirst(".*?(\\w+)\\.\\w+\\(\\).*", "$1") + ".html"));
        assertThat(questions.inCorpus()).filteredOn(question -> question.kind().equals("index"))
                .extracting(QuestionSet.Question::text)
                .anySatisfy(text -> assertThat(text).contains("JSONPATH (environment variable)"))
                .anySatisfy(text -> assertThat(text).contains("persistence"))
                .noneSatisfy(text -> assertThat(text).contains("outside the corpus"));
        assertThat(questions.followUps()).hasSize(3).allSatisfy(pair ->
                assertThat(pair.followUp().pages()).isEqualTo(pair.first().pages()));
        assertThat(QuestionSet.build(corpus, 1, 12, 3)).isEqualTo(questions);
    }

    private RetrievalCorpus.Page page(String name, String title, String section, String... definitions) throws IOException {
        StringBuilder html = new StringBuilder("<html><body><div class=\"body\"><h1>" + title
                + "<a class=\"headerlink\" href=\"#\">¶</a></h1><h2>" + section + "</h2>");
        for (String definition : definitions) {
            html.append("<dl class=\"py function\"><dt class=\"sig sig-object py\" id=\"").append(definition).append("\">")
                    .append(definition).append("()</dt><dd>Does things.</dd></dl>");
        }
        Path file = write(name.replace('/', '-'), html.append("</div></body></html>").toString());
        return new RetrievalCorpus.Page(name, file, file);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}

package io.docqa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real documents {@link RetrievalBenchmark} uploads, made by {@code .ci/retrieval-corpus.sh} from Debian packages
 * (pages of the Python documentation as HTML, PDF and DOCX; pip's Markdown pages), and the documentation's index.
 */
record RetrievalCorpus(List<Page> pages, Path index) {

    /**
     * One uploaded file. {@code name} is its page in the documentation ({@code library/json.html}); {@code source} is
     * the file its questions are drawn from: the upload itself, or the HTML a PDF or DOCX was made from.
     */
    record Page(String name, Path upload, Path source) {

        boolean markdown() {
            return source.getFileName().toString().endsWith(".md");
        }
    }

    static RetrievalCorpus prepare(Path dir) {
        run(List.of("bash", ".ci/retrieval-corpus.sh", dir.toString()));
        try {
            List<Page> pages = Files.readAllLines(dir.resolve("manifest.tsv")).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> line.split("\t"))
                    .map(fields -> {
                        Path upload = dir.resolve("upload").resolve(fields[0]);
                        Path converted = dir.resolve("source").resolve(fields[0].replaceAll("\\.(pdf|docx)$", ".html"));
                        return new Page(fields[1], upload, Files.exists(converted) ? converted : upload);
                    })
                    .toList();
            return new RetrievalCorpus(pages, dir.resolve("genindex-all.html"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the corpus was made by: the checksum of its script, which {@code .ci/retrieval-corpus.sh} keeps beside it. */
    String stamp() {
        try {
            return Files.readString(index.resolveSibling(".stamp")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long bytes() {
        return pages.stream().mapToLong(page -> {
            try {
                return Files.size(page.upload());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).sum();
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

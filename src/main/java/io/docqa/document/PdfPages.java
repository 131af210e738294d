package io.docqa.document;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import reactor.core.publisher.SynchronousSink;

/**
 * The text of a PDF, one page per step of a {@code Flux.generate}, skipping pages without text and cleaned by a
 * {@link PdfPageCleaner}, which looks {@value PdfPageCleaner#WINDOW} pages ahead. Not thread-safe.
 */
final class PdfPages {

    private final Path file;
    private final PDDocument document;
    private final PDFTextStripper stripper = new PDFTextStripper();
    private final PdfPageCleaner cleaner = new PdfPageCleaner();
    private final Deque<List<String>> ahead = new ArrayDeque<>();
    private int page;
    private boolean sawText;

    private PdfPages(Path file, PDDocument document) {
        this.file = file;
        this.document = document;
        stripper.setLineSeparator("\n");
        stripper.setParagraphEnd("\n");
    }

    static PdfPages open(Path file) {
        try {
            return new PdfPages(file, Loader.loadPDF(file.toFile()));
        }
        catch (InvalidPasswordException e) {
            throw new UnreadableContentException("The PDF is protected by a password");
        }
        catch (IOException | RuntimeException e) {
            throw new UnreadableContentException("The PDF could not be read" + DocumentParser.reason(e, file));
        }
    }

    PdfPages next(SynchronousSink<TextPiece> sink) {
        try {
            while (ahead.size() <= PdfPageCleaner.WINDOW && page < document.getNumberOfPages()) {
                page++;
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = stripper.getText(document);
                if (!text.isBlank()) {
                    sawText = true;
                    ahead.add(Arrays.asList(text.split("\n")));
                }
            }
            if (!ahead.isEmpty()) {
                sink.next(TextPiece.of(cleaner.clean(ahead.poll(), ahead)));
                return this;
            }
            String rest = cleaner.finish();
            if (!rest.isEmpty()) {
                sink.next(TextPiece.of(rest));
            }
            else if (sawText) {
                sink.complete();
            }
            else {
                sink.error(new UnreadableContentException("The PDF contains no text (it may be a scanned image)"));
            }
        }
        catch (IOException | RuntimeException e) {
            sink.error(new UnreadableContentException("The PDF could not be read" + DocumentParser.reason(e, file)));
        }
        return this;
    }

    void close() {
        try {
            document.close();
        }
        catch (IOException e) {
            // nothing was written; the spool file is deleted anyway
        }
    }
}

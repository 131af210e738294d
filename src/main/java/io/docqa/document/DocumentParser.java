package io.docqa.document;

import java.nio.file.Path;
import java.util.regex.Pattern;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Extracts the text of a spooled document (PDF with PDFBox, DOCX with POI, HTML with jsoup, Markdown with
 * commonmark-java) with its heading path, a page or a few KB at a time, on its own bounded scheduler. Damaged files
 * and files without any text end the stream with an {@link UnreadableContentException} whose message a user can read.
 */
@Component
class DocumentParser implements DisposableBean {

    private static final int MAX_REASON = 200;
    private static final Pattern CLASS_NAMES = Pattern.compile("(?:[\\w$]+\\.)*[\\w$]*(?:Exception|Error)\\b:?");
    private static final Pattern PATHS = Pattern.compile("(?:[A-Za-z]:)?(?:[/\\\\][^\\s/\\\\]+){2,}[/\\\\]?");

    private final Scheduler scheduler;

    DocumentParser() {
        this(Runtime.getRuntime().availableProcessors(), 64);
    }

    DocumentParser(int threads, int queuedTasks) {
        this.scheduler = Schedulers.newBoundedElastic(threads, queuedTasks, "document-parse");
    }

    Flux<TextPiece> parse(Path file, DocumentKind kind) {
        Flux<TextPiece> text = switch (kind) {
            case PDF -> Flux.generate(() -> PdfPages.open(file), PdfPages::next, PdfPages::close);
            case DOCX -> Flux.generate(() -> DocxBody.open(file), DocxBody::next, DocxBody::close);
            case HTML -> Flux.generate(() -> HtmlText.open(file), HtmlText::next, HtmlText::close);
            case MARKDOWN -> Flux.generate(() -> MarkdownText.open(file), MarkdownText::next, MarkdownText::close);
            case TEXT -> Flux.error(new IllegalArgumentException(kind + " is read as a stream"));
        };
        return text.subscribeOn(scheduler);
    }

    @Override
    public void destroy() {
        scheduler.dispose();
    }

    /** The gist of a library's message, without class names or file paths. */
    static String reason(Throwable error, Path file) {
        String message = error.getMessage();
        if (message == null) {
            return "";
        }
        message = message.replace(file.toString(), "").replace(file.getFileName().toString(), "");
        message = PATHS.matcher(CLASS_NAMES.matcher(message).replaceAll("")).replaceAll("");
        message = message.replaceAll("\\s+", " ").strip();
        if (message.length() > MAX_REASON) {
            message = message.substring(0, MAX_REASON) + "…";
        }
        return message.isEmpty() ? "" : ": " + message;
    }
}

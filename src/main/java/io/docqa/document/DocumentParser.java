package io.docqa.document;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Extracts the text of PDF and DOCX files with PDFBox and POI, on a bounded scheduler of its own. */
@Component
class DocumentParser implements DisposableBean {

    private final Scheduler scheduler = Schedulers.newBoundedElastic(
            Runtime.getRuntime().availableProcessors(), 64, "document-parse");

    Mono<String> parse(Path file, DocumentKind kind) {
        Callable<String> extraction = switch (kind) {
            case PDF -> () -> pdf(file);
            case DOCX -> () -> docx(file);
            default -> throw new IllegalArgumentException(kind + " is read as a stream");
        };
        String label = kind == DocumentKind.PDF ? "PDF" : "DOCX";
        return Mono.fromCallable(extraction)
                .subscribeOn(scheduler)
                .onErrorMap(error -> !(error instanceof UnreadableContentException) && !(error instanceof java.util.concurrent.RejectedExecutionException),
                        error -> new UnreadableContentException("The " + label + " file could not be read: it is damaged or not a real " + label))
                .flatMap(text -> text.isBlank()
                        ? Mono.error(new UnreadableContentException("The " + label + " file contains no extractable text"))
                        : Mono.just(text));
    }

    private static String pdf(Path file) throws IOException {
        try (PDDocument document = Loader.loadPDF(file.toFile())) {
            if (document.isEncrypted()) {
                throw new UnreadableContentException("The PDF file is encrypted");
            }
            return new PDFTextStripper().getText(document);
        }
    }

    private static String docx(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); XWPFDocument document = new XWPFDocument(in);
                XWPFWordExtractor extractor = new XWPFWordExtractor(document)) {
            return extractor.getText();
        }
    }

    @Override
    public void destroy() {
        scheduler.dispose();
    }
}

package io.docqa.document;

import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;

/**
 * One file of an upload as it arrives: its (already safe) name, the content type its sender declared (or null), and
 * its bytes, which can be read once.
 */
record UploadedFile(String filename, String declaredType, Flux<DataBuffer> content) {
}

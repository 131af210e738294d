package io.docqa.document;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.PartEvent;

/**
 * A part event of an upload while the upload holds it: its buffer is either handed on to a file's work, which then
 * owns it, or released here, once, whichever comes first.
 */
final class HeldEvent {

    private final PartEvent event;
    private final AtomicBoolean settled = new AtomicBoolean();

    HeldEvent(PartEvent event) {
        this.event = event;
    }

    PartEvent event() {
        return event;
    }

    DataBuffer handOver() {
        settled.set(true);
        return event.content();
    }

    void release() {
        if (settled.compareAndSet(false, true)) {
            DataBufferUtils.release(event.content());
        }
    }
}

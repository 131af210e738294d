package io.docqa.ai;

import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP exchange with the model server that can be aborted from any thread at any point: before the request was
 * sent, while waiting for the response headers, or while the body streams. What aborts it is registered as the exchange
 * progresses; whatever is registered after the abort runs at once.
 */
final class Exchange {

    private final List<Runnable> onAbort = new ArrayList<>();
    private boolean aborted;

    void onAbort(Runnable action) {
        synchronized (this) {
            if (!aborted) {
                onAbort.add(action);
                return;
            }
        }
        action.run();
    }

    void abort() {
        List<Runnable> actions;
        synchronized (this) {
            if (aborted) {
                return;
            }
            aborted = true;
            actions = List.copyOf(onAbort);
            onAbort.clear();
        }
        for (Runnable action : actions) {
            try {
                action.run();
            }
            catch (RuntimeException ignored) {
                // closing what is already broken; the other actions must still run
            }
        }
    }

    synchronized boolean aborted() {
        return aborted;
    }
}

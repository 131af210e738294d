package io.docqa.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Answers whose client went away before they were complete; a test can wait for them. */
final class ClientDisconnects {

    private int count;

    synchronized void record() {
        count++;
        notifyAll();
    }

    synchronized int count() {
        return count;
    }

    synchronized void clear() {
        count = 0;
    }

    synchronized boolean await(int atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count < atLeast) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}

package io.docqa.ai;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the tokens of one text into windows the model can take: each window is {@code [CLS]}, at most
 * {@code maxSequenceLength - 2} tokens of the text and {@code [SEP]}, and no window starts inside a word (on a
 * {@code ##} continuation piece) unless the word alone is longer than a window. Every token of the text is in exactly
 * one window, so nothing at the end of a long text is lost.
 */
final class TokenWindows {

    /** The ids of one window, special tokens included, and how many tokens of the text it holds. */
    record Window(long[] ids, int textTokens) {
    }

    private TokenWindows() {
    }

    /**
     * @param ids    the ids of the whole text, starting with {@code [CLS]} and ending with {@code [SEP]}
     * @param tokens the tokens of the same ids
     */
    static List<Window> of(long[] ids, String[] tokens, int maxSequenceLength) {
        int last = ids.length - 1; // [SEP]
        int size = maxSequenceLength - 2;
        List<Window> windows = new ArrayList<>();
        int from = 1; // after [CLS]
        while (from < last) {
            int to = Math.min(from + size, last);
            if (to < last) {
                int wordStart = to;
                while (wordStart > from && tokens[wordStart].startsWith("##")) {
                    wordStart--;
                }
                to = wordStart > from ? wordStart : to;
            }
            windows.add(new Window(window(ids, from, to), to - from));
            from = to;
        }
        return windows;
    }

    private static long[] window(long[] ids, int from, int to) {
        if (from == 1 && to == ids.length - 1) {
            return ids;
        }
        long[] window = new long[to - from + 2];
        window[0] = ids[0];
        System.arraycopy(ids, from, window, 1, to - from);
        window[window.length - 1] = ids[ids.length - 1];
        return window;
    }
}

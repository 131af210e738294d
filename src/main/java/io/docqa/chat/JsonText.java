package io.docqa.chat;

import tools.jackson.core.io.JsonStringEncoder;

/**
 * A text as the UTF-8 bytes of a JSON string's content, without the quotes. Jackson's encoder refuses a text with an
 * unpaired surrogate (a model's or a passage's text can hold one), so each such half is written as U+FFFD instead.
 */
final class JsonText {

    private JsonText() {
    }

    static byte[] quoted(String text) {
        return JsonStringEncoder.getInstance().quoteAsUTF8(wellFormed(text));
    }

    static String wellFormed(String text) {
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            if (fixed == null) {
                fixed = new StringBuilder(text);
            }
            fixed.setCharAt(i, '\uFFFD');
        }
        return fixed == null ? text : fixed.toString();
    }
}

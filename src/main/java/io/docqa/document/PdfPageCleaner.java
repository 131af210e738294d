package io.docqa.document;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Takes out of a PDF page's lines what is not the document's prose: table-of-contents lines ending in dot leaders
 * ({@code Intro . . . . 26}); running headers and footers, that is one of the first or last {@value #EDGE} lines of a
 * page that (digits aside) also starts or ends at least two other pages among the {@value #WINDOW} before and after;
 * bare page numbers there; private-use glyphs (a bullet at the start of a line becomes "•", anywhere else they go).
 * Words hyphenated at a line end are joined, also across pages. Holds the edge lines of {@value #WINDOW} pages at most.
 */
final class PdfPageCleaner {

    static final int WINDOW = 4;
    static final int EDGE = 2;
    private static final Pattern LEADERS = Pattern.compile(".*?(?:[.·…]\\s?){4,}\\s*(?:\\d+|[ivxlcdmIVXLCDM]+)?");
    private static final Pattern PAGE_NUMBER = Pattern.compile("(?:page\\s*)?(?:#+|[ivxlcdm]+)(?:\\s*(?:/|of)\\s*#+)?|[-–—]\\s*#+\\s*[-–—]");
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private final Deque<Set<String>> before = new ArrayDeque<>();
    private String carry = "";

    /** The cleaned text of a page, given its lines and (at least) the next {@value #WINDOW} pages' lines. */
    String clean(List<String> page, Collection<List<String>> after) {
        List<String> lines = visibleLines(page);
        List<Set<String>> afterEdges = new ArrayList<>(WINDOW);
        Iterator<List<String>> next = after.iterator();
        while (afterEdges.size() < WINDOW && next.hasNext()) {
            afterEdges.add(edges(visibleLines(next.next())));
        }
        List<String> kept = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean edge = i < EDGE || i >= lines.size() - EDGE;
            if (isLeaderLine(line) || edge && (isPageNumber(key(line)) || isRunning(key(line), afterEdges))) {
                continue;
            }
            kept.add(line);
        }
        before.addLast(edges(lines));
        if (before.size() > WINDOW) {
            before.removeFirst();
        }
        return joined(kept);
    }

    /** A hyphenated word start left over from the last page, or "". */
    String finish() {
        String rest = carry;
        carry = "";
        return rest;
    }

    private String joined(List<String> kept) {
        if (!carry.isEmpty()) {
            if (!kept.isEmpty() && startsLowercase(kept.get(0))) {
                kept.set(0, carry.substring(0, carry.length() - 1) + kept.get(0));
            }
            else {
                kept.add(0, carry);
            }
            carry = "";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < kept.size(); i++) {
            String line = kept.get(i);
            if (!endsHyphenated(line)) {
                text.append(line).append('\n');
            }
            else if (i + 1 < kept.size() && startsLowercase(kept.get(i + 1))) {
                text.append(line, 0, line.length() - 1);
            }
            else if (i + 1 == kept.size()) {
                carry = line;
            }
            else {
                text.append(line).append('\n');
            }
        }
        return text.isEmpty() ? "" : text.append('\n').toString();
    }

    private boolean isRunning(String key, List<Set<String>> afterEdges) {
        int others = before.size() + afterEdges.size();
        if (others == 0) {
            return false;
        }
        int seen = 0;
        for (Set<String> edges : before) {
            seen += edges.contains(key) ? 1 : 0;
        }
        for (Set<String> edges : afterEdges) {
            seen += edges.contains(key) ? 1 : 0;
        }
        return seen >= Math.min(2, others);
    }

    private static Set<String> edges(List<String> lines) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (i < EDGE || i >= lines.size() - EDGE) {
                keys.add(key(lines.get(i)));
            }
        }
        return keys;
    }

    /** The page's non-blank lines, stripped, with private-use glyphs mapped. */
    static List<String> visibleLines(List<String> page) {
        List<String> lines = new ArrayList<>(page.size());
        for (String raw : page) {
            String line = withoutPrivateUse(raw).strip();
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    static String withoutPrivateUse(String line) {
        StringBuilder out = null;
        for (int i = 0; i < line.length(); i++) {
            int c = line.codePointAt(i);
            boolean privateUse = c >= 0xE000 && c <= 0xF8FF || c >= 0xF0000;
            if (privateUse && out == null) {
                out = new StringBuilder(line.length()).append(line, 0, i);
            }
            if (privateUse) {
                if (out.toString().isBlank()) {
                    out.append('•');
                }
            }
            else if (out != null) {
                out.appendCodePoint(c);
            }
            i += Character.charCount(c) - 1;
        }
        return out == null ? line : out.toString();
    }

    static boolean isLeaderLine(String line) {
        boolean leaders = line.contains("....") || line.contains(". . . .") || line.contains("…") || line.contains("··");
        return leaders && LEADERS.matcher(line).matches();
    }

    private static boolean isPageNumber(String key) {
        return key.length() <= 20 && PAGE_NUMBER.matcher(key).matches();
    }

    /** Lower case, digits as '#', whitespace collapsed. */
    private static String key(String line) {
        return DIGITS.matcher(line.toLowerCase(Locale.ROOT)).replaceAll("#").replaceAll("\\s+", " ");
    }

    private static boolean endsHyphenated(String line) {
        int n = line.length();
        return n >= 3 && line.charAt(n - 1) == '-' && Character.isLowerCase(line.charAt(n - 2)) && Character.isLetter(line.charAt(n - 3));
    }

    private static boolean startsLowercase(String line) {
        return Character.isLowerCase(line.codePointAt(0));
    }
}

package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class TokenWindowsTest {

    private static final long CLS = 101;
    private static final long SEP = 102;

    @Test
    void aTextThatFitsIsOneWindowOfItsOwnIds() {
        Tokens text = tokens("the", "cat", "sat");
        List<TokenWindows.Window> windows = TokenWindows.of(text.ids, text.tokens, 16);
        assertThat(windows).singleElement().satisfies(window -> {
            assertThat(window.ids()).containsExactly(CLS, 1, 2, 3, SEP);
            assertThat(window.textTokens()).isEqualTo(3);
        });
    }

    @Test
    void aLongTextIsCutIntoWindowsThatHoldEveryTokenOnceAndNeverStartInsideAWord() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            words.add("w" + i);
            if (i % 3 == 0) {
                words.add("##x");
                words.add("##y");
            }
        }
        Tokens text = tokens(words.toArray(String[]::new));
        List<TokenWindows.Window> windows = TokenWindows.of(text.ids, text.tokens, 16);

        assertThat(windows).hasSizeGreaterThan(10);
        List<Long> content = new ArrayList<>();
        for (TokenWindows.Window window : windows) {
            long[] ids = window.ids();
            assertThat(ids.length).isLessThanOrEqualTo(16);
            assertThat(ids[0]).isEqualTo(CLS);
            assertThat(ids[ids.length - 1]).isEqualTo(SEP);
            assertThat(window.textTokens()).isEqualTo(ids.length - 2);
            assertThat(text.tokens[(int) ids[1]]).doesNotStartWith("##");
            for (int i = 1; i < ids.length - 1; i++) {
                content.add(ids[i]);
            }
        }
        assertThat(content).containsExactlyElementsOf(LongStream.range(1, text.ids.length - 1).boxed().toList());
    }

    @Test
    void aWordLongerThanAWindowIsCutAnyway() {
        String[] pieces = new String[40];
        pieces[0] = "supercalifragilistic";
        for (int i = 1; i < pieces.length; i++) {
            pieces[i] = "##piece" + i;
        }
        Tokens text = tokens(pieces);
        List<TokenWindows.Window> windows = TokenWindows.of(text.ids, text.tokens, 16);
        assertThat(windows).hasSize(3);
        assertThat(windows.stream().mapToInt(TokenWindows.Window::textTokens).sum()).isEqualTo(40);
    }

    /** Token i of the text has id i; [CLS] and [SEP] the ids of the real vocabulary. */
    private record Tokens(long[] ids, String[] tokens) {
    }

    private static Tokens tokens(String... words) {
        long[] ids = new long[words.length + 2];
        String[] tokens = new String[words.length + 2];
        ids[0] = CLS;
        tokens[0] = "[CLS]";
        for (int i = 0; i < words.length; i++) {
            ids[i + 1] = i + 1;
            tokens[i + 1] = words[i];
        }
        ids[ids.length - 1] = SEP;
        tokens[tokens.length - 1] = "[SEP]";
        return new Tokens(ids, tokens);
    }
}

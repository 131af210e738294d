package io.docqa.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Generated English-like prose: paragraphs of sentences of common words, the same for the same seed, so that every
 * run embeds the same text. Chunks of it tokenize like ordinary documents (about 150-200 tokens per 800 characters).
 */
final class Corpus {

    private static final String[] WORDS = ("""
            the of and to in is that for it as was with be by on not he this are or his from at which but have an they
            you were her she there been one all we their has would when if so no will more what up out into can other
            some time could them these two may first then do any like my now over such our man me even most made after
            also did many before must through back years where much your way well down should because each just those
            people how too little state good very make world still own see men work long get here between both life being
            under never day same another know while last might us great old year off come since against go came right
            used take three states himself few house use during without again place american around however home small
            found thought went say part once general high upon school every don does got united left number course war
            until always away something fact though water less public put think almost hand enough far took head yet
            government system better set told nothing night end why called didn eyes find going look asked later knew
            point next program city business give group toward young days let room president side social given present
            several order national possible rather second face per among form important often things looked early white
            case john become large big need four within felt along children saw best church ever least power development
            light thing seemed family interest want members mind country area others done turned although open god service
            certain kind problem began different door thus help sense means whole matter perhaps itself york times law
            human line above name example action company hands local show whether five history gave today either act
            feet across taken past quite anything seen having death week experience body word half really field am car
            words already themselves information tell together college shall money period held keep sure real probably
            free seems political cannot behind miss question air office making brought whose special heard major problems
            ago became federal moment study available known result street economic boy reason change position south board
            individual job areas society west close turn love community true court force full seem policy invoice contract
            warranty refund shipping customer supplier payment delivery clause notice period renewal termination liability
            """).trim().split("\\s+");

    private Corpus() {
    }

    /** Writes about {@code bytes} bytes of prose to {@code file} (unless it already holds exactly this text). */
    static Path write(Path file, long bytes, long seed) {
        try {
            Files.createDirectories(file.getParent());
            Path marker = file.resolveSibling(file.getFileName() + "." + bytes + "." + seed);
            if (Files.exists(file) && Files.exists(marker)) {
                return file;
            }
            Random random = new Random(seed);
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                long written = 0;
                String title = "Document " + seed + "\n\n";
                out.write(title);
                written += title.length();
                while (written < bytes) {
                    String paragraph = paragraph(random);
                    out.write(paragraph);
                    written += paragraph.length();
                }
            }
            Files.writeString(marker, "");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A question in the words of the corpus. */
    static String question(Random random) {
        StringBuilder question = new StringBuilder("What does the text say about");
        for (int i = 0; i < 5; i++) {
            question.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return question.append('?').toString();
    }

    private static String paragraph(Random random) {
        StringBuilder paragraph = new StringBuilder();
        int sentences = 3 + random.nextInt(6);
        for (int s = 0; s < sentences; s++) {
            int words = 8 + random.nextInt(14);
            for (int w = 0; w < words; w++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                if (w == 0) {
                    paragraph.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
                } else {
                    paragraph.append(random.nextInt(12) == 0 ? ", " : " ").append(word);
                }
            }
            paragraph.append(s + 1 < sentences ? ". " : ".\n\n");
        }
        return paragraph.toString();
    }
}

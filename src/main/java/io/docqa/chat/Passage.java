package io.docqa.chat;

/** A retrieved passage as the model sees it: {@code number} is what the answer cites as [n]. */
record Passage(int number, String filename, String text) {
}

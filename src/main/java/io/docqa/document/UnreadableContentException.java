package io.docqa.document;

/**
 * The file is of an accepted kind but its content cannot be turned into text (invalid UTF-8, binary data,
 * a damaged PDF or DOCX, no text at all). The message is a reason fit to show the user: no paths, no class names.
 */
class UnreadableContentException extends RuntimeException {

    UnreadableContentException(String reason) {
        super(reason, null, false, false);
    }
}

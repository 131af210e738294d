package io.docqa.document;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of an upload request, each enforced while the request is read, and where its files are spooled
 * ({@code spoolDir}, by default the JVM's temporary directory).
 *
 * @param filesInFlight how many files of one request are worked on at once: the next file streams in once the bytes
 *        of the one before have all arrived, while the ones before it are still parsed, embedded and stored
 */
@ConfigurationProperties("docqa.upload")
record UploadProperties(
        @DefaultValue("50MB") DataSize maxFileSize,
        @DefaultValue("10") int maxParts,
        @DefaultValue("16KB") DataSize maxPartHeaders,
        @DefaultValue("6") int filesInFlight,
        Path spoolDir) {

    UploadProperties {
        if (filesInFlight < 1) {
            throw new IllegalArgumentException("docqa.upload.files-in-flight must be at least 1, not " + filesInFlight);
        }
    }

    Path spoolDirectory() {
        return spoolDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : spoolDir;
    }
}

package io.docqa.document;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of an upload request, each enforced while the request is read, and where its files are spooled
 * ({@code spoolDir}, by default the JVM's temporary directory).
 */
@ConfigurationProperties("docqa.upload")
record UploadProperties(
        @DefaultValue("50MB") DataSize maxFileSize,
        @DefaultValue("10") int maxParts,
        @DefaultValue("16KB") DataSize maxPartHeaders,
        Path spoolDir) {

    Path spoolDirectory() {
        return spoolDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : spoolDir;
    }
}

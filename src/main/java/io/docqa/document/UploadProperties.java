package io.docqa.document;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Limits of an upload request, each enforced while the request is read. */
@ConfigurationProperties("docqa.upload")
record UploadProperties(
        @DefaultValue("50MB") DataSize maxFileSize,
        @DefaultValue("10") int maxParts,
        @DefaultValue("16KB") DataSize maxPartHeaders) {
}

package io.docqa.chat;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What tenant admins may choose in their settings: the models the operator allows ({@code DOCQA_CHAT_ALLOWED_MODELS},
 * empty: only the configured {@code DOCQA_OLLAMA_MODEL}) and the longest instructions.
 */
@ConfigurationProperties("docqa.chat")
record SettingsProperties(
        @DefaultValue("") List<String> allowedModels,
        @DefaultValue("2000") int maxInstructionsLength,
        @DefaultValue("2.0") double maxTemperature) {

    SettingsProperties {
        allowedModels = allowedModels.stream().map(String::trim).filter(name -> !name.isEmpty()).toList();
        if (maxInstructionsLength < 0) {
            throw new IllegalArgumentException("docqa.chat.max-instructions-length must not be negative");
        }
        if (maxTemperature < 0) {
            throw new IllegalArgumentException("docqa.chat.max-temperature must not be negative");
        }
    }
}

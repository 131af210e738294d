package io.docqa.web;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The proxies (addresses or CIDR ranges) whose {@code X-Forwarded-For} is believed. None by default: the client is
 * then the peer of the connection.
 */
@ConfigurationProperties("docqa.client-address")
public record ClientAddressProperties(@DefaultValue List<String> trustedProxies) {
}

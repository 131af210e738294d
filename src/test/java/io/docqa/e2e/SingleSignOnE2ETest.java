package io.docqa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.test.web.reactive.server.WebTestClient;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.OidcProviders;
import io.docqa.support.ServiceInstance;

/**
 * "Sign in with ..." on the chat page in a real browser (headless Chromium), through a real OpenID Provider's login
 * and consent pages and back, under the page's strict content security policy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleSignOnE2ETest extends IntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    ConfigurableEnvironment shared;

    OidcProviders idp;
    ServiceInstance service;
    Account acme;
    Browser browser;

    @BeforeAll
    void startProviderAndService() {
        acme = new Api(WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build()).signup("Acme");
        idp = OidcProviders.start();
        service = ServiceInstance.startLike(shared, Map.of(
                "docqa.sso.providers.acme.name", "Acme ID",
                "docqa.sso.providers.acme.issuer-uri", idp.issuer("main"),
                "docqa.sso.providers.acme.client-id", "docqa-browser",
                "docqa.sso.providers.acme.client-secret", "secret-browser",
                "docqa.sso.providers.acme.domains", "acme.test=" + acme.tenantId()));
        idp.register("main", "docqa-browser", "secret-browser",
                List.of("http://127.0.0.1:" + service.port() + "/login/oauth2/code/acme"));
    }

    @AfterAll
    void stop() throws Exception {
        service.close();
        idp.close();
    }

    @BeforeEach
    void openBrowser() {
        browser = Browser.open(1280, 860);
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void aPersonSignsInWithTheProviderAndLandsSignedInInTheMappedWorkspace() {
        String email = "ada-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        signInAtProvider(email);
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("app-view")));
        assertThat(browser.driver().findElement(By.id("who-email")).getText()).isEqualTo(email);
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("sso_code");
        browser.screenshot("sso-signed-in");
        // nothing the page did broke its content security policy or failed (the provider's own pages aside)
        assertThat(browser.consoleErrors()).filteredOn(error -> error.contains("127.0.0.1:" + service.port())
                || error.contains("Content Security Policy")).isEmpty();
    }

    @Test
    void anEmailOfNoMappedDomainIsToldWhy() {
        signInAtProvider("eve-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test");
        String error = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("auth-error"))).getText();
        assertThat(error).contains("No workspace takes accounts with this email address");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("sso_error");
        browser.screenshot("sso-refused");
    }

    private void signInAtProvider(String email) {
        WebDriver driver = browser.driver();
        driver.get("http://127.0.0.1:" + service.port() + "/");
        waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-provider=acme]")));
        assertThat(driver.findElement(By.cssSelector("[data-provider=acme]")).getText()).isEqualTo("Sign in with Acme ID");
        driver.findElement(By.cssSelector("[data-provider=acme]")).click();
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.name("login"))).sendKeys(email);
        driver.findElement(By.name("password")).sendKeys("any password");
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("button[type=submit]"), "Continue"));
        driver.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return new WebDriverWait(browser.driver(), WAIT).until(condition);
    }
}

package io.docqa.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The chat page at {@code /}, as a person uses it: by the ids and {@code data-testid}s of its elements. */
final class ChatPage {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final WebDriver driver;
    private final String baseUrl;

    ChatPage(Browser browser, String baseUrl) {
        this.driver = browser.driver();
        this.baseUrl = baseUrl;
    }

    ChatPage open() {
        driver.get(baseUrl + "/");
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        return this;
    }

    void signUp(String workspace, String email, String password) {
        driver.findElement(By.id("tab-signup")).click();
        type("signup-tenant", workspace);
        type("signup-email", email);
        type("signup-password", password);
        driver.findElement(By.id("signup-submit")).click();
        awaitSignedIn();
    }

    void logIn(String email, String password) {
        driver.findElement(By.id("tab-login")).click();
        type("login-email", email);
        type("login-password", password);
        driver.findElement(By.id("login-submit")).click();
    }

    void awaitSignedIn() {
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("app-view")));
    }

    String authError() {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("auth-error"))).getText();
    }

    String signedInAs() {
        return driver.findElement(By.id("who-email")).getText();
    }

    /**
     * Records every status text the upload rows show from now on, as "filename|text". Mutation records keep each text
     * node that was put in, so states replaced within one task (two events in one network read) are not lost.
     */
    void recordUploadProgress() {
        script("""
                window.__uploads = [];
                new MutationObserver(records => records.forEach(record => {
                  const status = record.target.closest && record.target.closest('[data-testid=upload-status]');
                  if (!status || record.type !== 'childList') return;
                  const text = [...record.addedNodes].map(node => node.textContent).join('');
                  if (text) window.__uploads.push(status.closest('[data-testid=upload]').dataset.filename + '|' + text);
                })).observe(document.getElementById('upload-list'), { subtree: true, childList: true });
                """);
    }

    @SuppressWarnings("unchecked")
    List<String> uploadProgress() {
        return (List<String>) script("return window.__uploads || [];");
    }

    /** The progress bar of the newest upload row of that file: value and max. */
    @SuppressWarnings("unchecked")
    List<Long> uploadBar(String filename) {
        List<Object> bar = (List<Object>) script("""
                const bar = document.querySelector('[data-testid=upload][data-filename="' + CSS.escape(arguments[0]) + '"] [data-testid=upload-progress]');
                return bar ? [bar.value, bar.max] : [];
                """, filename);
        return bar.stream().map(ChatPage::number).toList();
    }

    void upload(Path file) {
        driver.findElement(By.id("upload-input")).sendKeys(file.toAbsolutePath().toString());
    }

    /** The text of the document's row once it has the status; the list re-renders, so the row is read inside the wait. */
    String awaitDocument(String filename, String status) {
        By row = By.xpath("//li[@data-testid='document'][@data-status='" + status + "'][.//*[@data-testid='document-name' and text()='"
                + filename + "']]");
        return waitFor(driver -> {
            try {
                WebElement element = driver.findElement(row);
                return element.isDisplayed() ? element.getText() : null;
            }
            catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                return null;
            }
        });
    }

    void showPanel(String buttonId) {
        driver.findElement(By.id(buttonId)).click();
    }

    void ask(String question) {
        WebElement box = driver.findElement(By.id("question"));
        box.clear();
        box.sendKeys(question);
        driver.findElement(By.id("ask-button")).click();
    }

    /** The newest answer on screen. */
    WebElement lastAnswer() {
        List<WebElement> answers = driver.findElements(By.cssSelector("[data-testid=message][data-role=assistant]"));
        if (answers.isEmpty()) {
            throw new AssertionError("No answer on the page");
        }
        return answers.get(answers.size() - 1);
    }

    String answerState() {
        return lastAnswer().getDomAttribute("data-state");
    }

    /** The newest answer's text as the page shows it (citation buttons as their numbers). */
    String answerText() {
        return (String) script("""
                const all = document.querySelectorAll('[data-testid=message][data-role=assistant] [data-testid=answer-text]');
                return all.length ? all[all.length - 1].textContent : '';
                """);
    }

    /**
     * Records the newest answer's length each time the message list changes, from now on; brackets are not counted:
     * a complete "[1]" becomes a button showing "1". One record per mutation batch, so tokens that arrive in separate
     * network reads are seen separately.
     */
    void recordAnswerLengths() {
        script("""
                window.__answerLengths = [];
                new MutationObserver(() => {
                  const all = document.querySelectorAll('[data-testid=message][data-role=assistant] [data-testid=answer-text]');
                  if (all.length) window.__answerLengths.push(all[all.length - 1].textContent.replace(/[\\[\\]]/g, '').length);
                }).observe(document.getElementById('messages'), { subtree: true, childList: true, characterData: true });
                """);
    }

    @SuppressWarnings("unchecked")
    List<Integer> answerLengths() {
        List<Object> lengths = (List<Object>) script("return window.__answerLengths || [];");
        return lengths.stream().map(length -> (int) number(length)).toList();
    }

    void awaitAnswerState(String state) {
        waitFor(d -> state.equals(answerState()));
    }

    void awaitAnswerLongerThan(int characters) {
        waitFor(d -> answerText().length() > characters);
    }

    List<WebElement> citations() {
        return lastAnswer().findElements(By.cssSelector("[data-testid=citation]"));
    }

    List<WebElement> sources() {
        return lastAnswer().findElements(By.cssSelector("[data-testid=source]"));
    }

    /**
     * Makes the next answer's first source carry {@code section}, as the service sends it for documents with headings:
     * the page's own {@code fetch} is wrapped once, and the {@code sources} event of the answer rewritten.
     */
    void giveTheNextFirstSourceTheSection(String section) {
        script("""
                const section = arguments[0];
                const realFetch = window.fetch;
                window.fetch = async (input, init) => {
                  const response = await realFetch(input, init);
                  if (!String(input).endsWith('/api/v1/chat')) {
                    return response;
                  }
                  window.fetch = realFetch;
                  const body = (await response.text()).replace(/(event: ?sources\\r?\\ndata: ?)(.*)/, (all, head, json) => {
                    const data = JSON.parse(json);
                    data.sources[0].section = section;
                    return head + JSON.stringify(data);
                  });
                  return new Response(body, { status: response.status, headers: response.headers });
                };
                """, section);
    }

    /** For each source of the newest answer, the heading path it shows, or null where it shows none. */
    List<String> sourceSections() {
        return sources().stream().map(source -> {
            List<WebElement> section = source.findElements(By.cssSelector("[data-testid=source-section]"));
            return section.isEmpty() ? null : section.get(0).getText().replaceFirst("^\\s*— ", "");
        }).toList();
    }

    String answerStatus() {
        return lastAnswer().findElement(By.cssSelector("[data-testid=answer-status]")).getText();
    }

    /** Clicks the citation and returns the quoted passage shown for it. */
    String openCitation(WebElement citation) {
        citation.click();
        WebElement dialog = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("passage-dialog")));
        return dialog.findElement(By.id("passage-title")).getText() + "\n" + dialog.findElement(By.id("passage-text")).getText();
    }

    String passageMeta() {
        return driver.findElement(By.id("passage-meta")).getText();
    }

    void closePassage() {
        driver.findElement(By.id("passage-close")).click();
        waitFor(ExpectedConditions.invisibilityOfElementLocated(By.id("passage-dialog")));
    }

    void stop() {
        driver.findElement(By.id("stop-button")).click();
    }

    boolean askEnabled() {
        return driver.findElement(By.id("ask-button")).isEnabled();
    }

    List<String> conversationTitles() {
        return driver.findElements(By.cssSelector("[data-testid=conversation] [data-testid=conversation-name]")).stream()
                .map(WebElement::getText).toList();
    }

    String refreshTokenInSession() {
        return (String) script("return sessionStorage.getItem('docqa.refresh_token');");
    }

    void signOut() {
        driver.findElement(By.id("signout-button")).click();
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    }

    boolean appVisible() {
        return driver.findElement(By.id("app-view")).isDisplayed();
    }

    Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    <T> T waitFor(Function<? super WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).until(condition);
    }

    private void type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }
}

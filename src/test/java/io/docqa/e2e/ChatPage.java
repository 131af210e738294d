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
    private static final String LAST_ANSWER = """
            const answers = document.querySelectorAll('[data-testid=message][data-role=assistant] [data-testid=answer-text]');
            const answer = answers[answers.length - 1];
            """;

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
     * Records from now on every status text the upload rows show, as "filename|text", every value their progress bars
     * take, as "filename|value/max", and after each change of the documents panel how many times each file name shows
     * in it (upload rows and document rows together), as "filename|count". Mutation records keep each text node that was
     * put in, so states replaced within one task (two events in one network read) are not lost.
     */
    void recordUploads() {
        script("""
                window.__uploads = []; window.__bars = []; window.__shown = [];
                const panel = document.getElementById('documents-panel');
                new MutationObserver(records => {
                  records.forEach(record => {
                    const row = record.target.closest && record.target.closest('[data-testid=upload]');
                    if (!row) return;
                    if (record.type === 'attributes' && record.target.matches('[data-testid=upload-progress]')) {
                      window.__bars.push(row.dataset.filename + '|' + record.target.value + '/' + record.target.max);
                    }
                    const status = record.target.closest('[data-testid=upload-status]');
                    const text = [...record.addedNodes].map(node => node.textContent).join('');
                    if (status && text) window.__uploads.push(row.dataset.filename + '|' + text);
                  });
                  const names = [...panel.querySelectorAll('[data-testid=upload]')].map(row => row.dataset.filename)
                    .concat([...panel.querySelectorAll('[data-testid=document-name]')].map(name => name.textContent));
                  new Set(names).forEach(name => window.__shown.push(name + '|' + names.filter(n => n === name).length));
                }).observe(panel, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
                """);
    }

    @SuppressWarnings("unchecked")
    List<String> uploadProgress() {
        return (List<String>) script("return window.__uploads || [];");
    }

    /** The values the progress bars of that file took, as "value/max". */
    List<String> uploadBarValues(String filename) {
        return recorded("__bars", filename);
    }

    /** How many times that file showed in the documents panel, after each change of the panel. */
    List<String> timesShown(String filename) {
        return recorded("__shown", filename);
    }

    @SuppressWarnings("unchecked")
    private List<String> recorded(String variable, String filename) {
        List<String> all = (List<String>) script("return window." + variable + " || [];");
        return all.stream().filter(entry -> entry.startsWith(filename + "|")).map(entry -> entry.substring(filename.length() + 1))
                .toList();
    }

    /** How many upload rows show now. */
    int uploadRows() {
        return driver.findElements(By.cssSelector("[data-testid=upload]")).size();
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

    /** The elements of the newest answer's formatted text that match the CSS selector. */
    List<WebElement> inAnswer(String selector) {
        return lastAnswer().findElements(By.cssSelector("[data-testid=answer-text] " + selector));
    }

    List<String> textsInAnswer(String selector) {
        return inAnswer(selector).stream().map(WebElement::getText).toList();
    }

    /** Marks the newest answer's first block, so that {@link #firstBlockKept()} can tell whether it ever left the page. */
    void markFirstBlock() {
        script(LAST_ANSWER + """
                const first = window.__firstBlock = answer.firstElementChild;
                window.__firstBlockRemoved = false;
                new MutationObserver(records => records.forEach(record => record.removedNodes.forEach(node => {
                  if (node === first) window.__firstBlockRemoved = true;
                }))).observe(answer, { childList: true });
                """);
    }

    boolean firstBlockKept() {
        return (Boolean) script(LAST_ANSWER
                + "return !window.__firstBlockRemoved && Boolean(window.__firstBlock) && window.__firstBlock === answer.firstElementChild;");
    }

    /** The number of blocks (paragraphs, lists, tables…) the newest answer shows. */
    int answerBlocks() {
        return (int) number(script(LAST_ANSWER + "return answer ? answer.children.length : 0;"));
    }

    /** Opens the conversation from the history and waits until the messages shown before have left the page. */
    void openConversation(String title) {
        WebElement open = waitFor(d -> d.findElements(By.cssSelector("[data-testid=conversation-open]")).stream()
                .filter(button -> button.getText().startsWith(title)).findFirst().orElse(null));
        script("window.__shownBefore = document.querySelector('#messages > *');");
        open.click();
        waitFor(d -> (Boolean) script("return !window.__shownBefore.isConnected;"));
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

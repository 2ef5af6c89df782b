package dev.flagedge.sync;

import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** Answers every request with the current response (retries included) until it is replaced. */
final class StickyDispatcher extends Dispatcher {
  private volatile Function<RecordedRequest, MockResponse> answer;
  private volatile MockResponse fixed;

  StickyDispatcher(MockResponse response) {
    answer(response);
  }

  StickyDispatcher(Function<RecordedRequest, MockResponse> answer) {
    answer(answer);
  }

  void answer(MockResponse response) {
    this.fixed = response;
    this.answer = request -> response;
  }

  void answer(Function<RecordedRequest, MockResponse> answer) {
    this.fixed = null;
    this.answer = answer;
  }

  /** MockWebServer reads request-start socket effects from here, before dispatching. */
  @Override
  public MockResponse peek() {
    MockResponse response = fixed;
    return response != null ? response : super.peek();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    return answer.apply(request);
  }
}

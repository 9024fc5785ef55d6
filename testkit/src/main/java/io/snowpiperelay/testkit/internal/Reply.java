package io.snowpiperelay.testkit.internal;

/** An HTTP answer: status and JSON (or text) body. */
record Reply(int status, String body) {

    static Reply ok(String body) {
        return new Reply(200, body);
    }

    static Reply error(int status, String errorCode, String message) {
        return new Reply(status, Json.error(errorCode, message));
    }
}

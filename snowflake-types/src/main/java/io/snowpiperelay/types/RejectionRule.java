package io.snowpiperelay.types;

/**
 * Which of Snowflake's conversion rules a rejected row broke ({@code snowflake-streaming-types.md} §1, §2, §6).
 * The emulator reports Snowflake's own wording; the relay's {@link RowChecker} turns the rule into a reason that
 * names the column and the rule without quoting the value.
 */
public enum RejectionRule {
    /** The row is not one JSON object (§6 step 1). */
    INVALID_JSON,
    /** A string that is not a number for a NUMBER or FLOAT column (§1.2, §1.3). */
    NOT_A_NUMBER,
    /** A number with more integer digits than NUMBER(p,s) holds (p - s), or beyond FLOAT's range (§1.2, §1.3). */
    OUT_OF_RANGE,
    /** A VARCHAR value longer than its length in characters, or a BINARY value longer than its length in bytes (§1.1). */
    TOO_LONG,
    /** A string that is not a DATE, TIME or TIMESTAMP in a format Snowflake recognises (§1.5-§1.7). */
    NOT_A_DATE_OR_TIME,
    /** A string that is not one of the boolean words (§1.4). */
    NOT_A_BOOLEAN,
    /** A string that is not Base64 for a BINARY column (§1.9). */
    NOT_BASE64,
    /** A JSON value of a kind the column type cannot take (an object into NUMBER, a number into BOOLEAN...). */
    WRONG_TYPE,
    /** A NOT NULL column whose key is missing or null (§2). */
    NOT_NULL,
    /** The conversion itself failed unexpectedly (a bug); the row is rejected rather than guessed. */
    INTERNAL
}

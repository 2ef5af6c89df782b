package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * One multivariate option. {@code weightText} is the weight as the reference prints it in the SPLIT
 * reason ({@code 30} or {@code 30.0}); {@code priority} orders the options and may be a 128-bit integer.
 */
record Variant(JsonNode value, double weight, String weightText, BigDecimal priority, String key) {}

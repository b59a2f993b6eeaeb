package org.fieldwork.run;

import java.util.ArrayList;
import java.util.List;

/**
 * What a job's planning produced: the units to run, one value every unit and the merge share (the
 * runner ships it to tasks once, as a broadcast), and the inputs that could not be planned. Each of
 * those is a unit failed before it ran: recorded in the manifest with its error, counted in the
 * summary and the exit code, and planned again by the next run, like any failed unit.
 *
 * @param <U> the job's unit
 * @param <P> the plan-wide value ({@code Void} when a job has none)
 */
public final class Plan<U extends WorkUnit, P> {

    /** An input that could not become units (a truncated file, a header that makes no sense). */
    public record Failure(String unitId, String input, String inputVersion, long inputBytes, String error) {
    }

    private final List<U> units;
    private final P value;
    private final List<Failure> failures = new ArrayList<>();

    private Plan(List<U> units, P value) {
        this.units = List.copyOf(units);
        this.value = value;
    }

    public static <U extends WorkUnit, P> Plan<U, P> of(List<U> units, P value) {
        return new Plan<>(units, value);
    }

    public static <U extends WorkUnit> Plan<U, Void> of(List<U> units) {
        return new Plan<>(units, null);
    }

    /** Records an input that failed at planning; its unit id must differ from every planned unit's. */
    public Plan<U, P> fail(String unitId, String input, String inputVersion, long inputBytes, String error) {
        failures.add(new Failure(unitId, input, inputVersion == null ? "" : inputVersion, inputBytes, error));
        return this;
    }

    public Plan<U, P> fail(Failure failure) {
        failures.add(failure);
        return this;
    }

    public List<U> units() {
        return units;
    }

    public P value() {
        return value;
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }
}

import { describe, expect, it } from "vitest";
import { draftProblems } from "./draft";
import type { ConfigBody, MetricConfig } from "./queries";

function body(overrides: Partial<ConfigBody> = {}): ConfigBody {
  return {
    components: {
      usage: {
        weight: 0.35,
        metrics: {
          login_frequency: {
            weight: 0.3,
            curve: [
              [0, 0],
              [5, 40],
              [20, 100],
            ],
            missing: null,
          },
        },
      },
      support: { weight: 0.2, metrics: {} },
    },
    health_axis: ["support"],
    quadrant: { usage_cutoff: 60, health_cutoff: 60, hysteresis: 5 },
    bands: { healthy: 80, watch: 60 },
    churn_probability: [
      [0, 0.6],
      [100, 0.03],
    ],
    ...overrides,
  };
}

const usage = (metric: Partial<MetricConfig>, weight = 0.35): ConfigBody["components"] => ({
  usage: {
    weight,
    metrics: {
      login_frequency: {
        weight: 0.3,
        curve: [
          [0, 0],
          [1, 100],
        ],
        missing: null,
        ...metric,
      },
    },
  },
});

describe("draftProblems: the server's rules, checked as the user types", () => {
  it("finds nothing wrong with a valid body", () => {
    expect(draftProblems(body())).toEqual([]);
  });

  it("refuses blank numbers and numbers out of range, at their fields", () => {
    expect(
      draftProblems(
        body({
          components: {
            ...usage({ curve: [[0, 0]], missing: 101 }, Number.NaN),
            support: { weight: -1, metrics: {} },
          },
          quadrant: { usage_cutoff: 60, health_cutoff: 100.5, hysteresis: 51 },
        }),
      ),
    ).toEqual([
      { path: "components.usage.weight", message: "Enter a number." },
      {
        path: "components.usage.metrics.login_frequency.missing",
        message: "Must be between 0 and 100.",
      },
      { path: "components.support.weight", message: "Must be between 0 and 100." },
      { path: "components", message: "At least one component needs a weight above 0." },
      { path: "quadrant.health_cutoff", message: "Must be between 0 and 100." },
      { path: "quadrant.hysteresis", message: "Must be between 0 and 50." },
    ]);
  });

  it("needs a positive component weight and the usage component", () => {
    expect(
      draftProblems(
        body({ components: { support: { weight: 0, metrics: {} } }, health_axis: ["support"] }),
      ),
    ).toEqual([
      { path: "components", message: "At least one component needs a weight above 0." },
      {
        path: "components",
        message: "The usage component is required: it is the quadrant's usage axis.",
      },
    ]);
  });

  it("checks curves: points, increasing raw values, scores and probabilities in range", () => {
    const curve = (points: [number, number][]) =>
      draftProblems(body({ components: usage({ curve: points }) }))[0]?.message;
    expect(curve([])).toBe("Add at least one point.");
    expect(curve(Array.from({ length: 21 }, (_, i) => [i, 0] as [number, number]))).toBe(
      "At most 20 points.",
    );
    expect(
      curve([
        [0, 0],
        [0, 50],
      ]),
    ).toBe("Raw values must increase from one point to the next.");
    expect(
      curve([
        [0, 0],
        [Number.NaN, 50],
      ]),
    ).toBe("Every point needs two numbers.");
    expect(
      curve([
        [0, 0],
        [1, 120],
      ]),
    ).toBe("Scores must be between 0 and 100.");
    expect(
      draftProblems(
        body({
          churn_probability: [
            [0, 0.6],
            [50, 1.2],
          ],
        }),
      ),
    ).toEqual([{ path: "churn_probability", message: "Probabilities must be between 0 and 1." }]);
  });

  it("keeps the bands in order and the health axis on configured components", () => {
    expect(
      draftProblems(body({ bands: { healthy: 50, watch: 60 }, health_axis: ["sentiment"] })),
    ).toEqual([
      { path: "bands", message: "“Watch from” must not be above “healthy from”." },
      {
        path: "health_axis",
        message: "The health axis names sentiment, which is not a configured component.",
      },
    ]);
  });
});

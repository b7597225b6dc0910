import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors";
import {
  changedFields,
  describePath,
  fieldErrorsOf,
  fromPlaybook,
  localErrors,
  slugify,
  toDefinition,
  uniqueKey,
} from "./draft";
import { improvementSentence } from "./effects";
import type { Playbook } from "./queries";
import { parsePlaybooksSearch, validatePlaybooksSearch } from "./searchState";
import { accountInBands, roleOptions, toggleValue, triggerInWords } from "./triggers";

const saved: Playbook = {
  id: "b0000000-0000-4000-8000-000000000001",
  key: "churn-risk-call",
  name: "Churn-risk call",
  description: null,
  trigger_type: "quadrant_move",
  trigger_value: "*->churn_risk",
  trigger_bands: [],
  steps: [{ title: "Call", due_offset_days: 2, assignee_role: "owner" }],
  email_subject_template: null,
  email_body_template: "Hi",
  is_active: true,
  is_builtin: true,
};

describe("triggerInWords", () => {
  it("reads each kind of trigger", () => {
    expect(triggerInWords("quadrant_move", "*->churn_risk")).toBe(
      "When an account moves into Churn Risk",
    );
    expect(triggerInWords("quadrant_move", "champions->frustrated_power_users")).toBe(
      "When an account moves from Champions to Frustrated Power Users",
    );
    expect(triggerInWords("quadrant_move", "champions->*")).toBe(
      "When an account moves out of Champions",
    );
    expect(triggerInWords("renewal_milestone", "90")).toBe("90 days before renewal");
    expect(triggerInWords("alert_rule", "critical_ticket")).toBe("When Critical ticket fires");
    expect(triggerInWords("alert_rule", "api_limit")).toBe("When API limit fires");
    expect(triggerInWords("alert_rule", "brand_new_rule")).toBe("When Brand new rule fires");
    expect(triggerInWords("alert_rule", "")).toBe("Alert");
    expect(triggerInWords("manual", null)).toBe("Manual");
  });

  it("reads lists of rules and milestones in their order", () => {
    expect(triggerInWords("alert_rule", "seat_limit,api_limit")).toBe(
      "When Seat limit or API limit fires",
    );
    expect(triggerInWords("alert_rule", "expansion_ready, seat_limit,api_limit")).toBe(
      "When Expansion ready, Seat limit or API limit fires",
    );
    expect(triggerInWords("renewal_milestone", "60,30")).toBe("60 or 30 days before renewal");
    expect(triggerInWords("renewal_milestone", "90,60,30")).toBe(
      "90, 60 or 30 days before renewal",
    );
  });

  it("names the health bands the play is for", () => {
    expect(triggerInWords("alert_rule", "expansion_ready,seat_limit,api_limit", ["at_risk"])).toBe(
      "When Expansion ready, Seat limit or API limit fires on an account at risk",
    );
    expect(triggerInWords("renewal_milestone", "90,60,30", ["at_risk"])).toBe(
      "90, 60 or 30 days before renewal on an account at risk",
    );
    expect(triggerInWords("quadrant_move", "*->churn_risk", ["at_risk", "watch"])).toBe(
      "When an account on watch or at risk moves into Churn Risk",
    );
    expect(triggerInWords("quadrant_move", "*->churn_risk", ["healthy"])).toBe(
      "When a healthy account moves into Churn Risk",
    );
    expect(triggerInWords("alert_rule", "health_drop", [])).toBe("When Health drop fires");
    expect(accountInBands(["at_risk", "healthy"])).toBe("an account that is healthy or at risk");
    expect(accountInBands(["watch", "healthy", "at_risk"])).toBe(
      "an account that is healthy, on watch or at risk",
    );
    expect(accountInBands(null)).toBe("an account");
  });

  it("ticks and unticks values in the options' order", () => {
    const rules = ["seat_limit", "api_limit", "expansion_ready"];
    expect(toggleValue("expansion_ready", "seat_limit", true, rules)).toBe(
      "seat_limit,expansion_ready",
    );
    expect(toggleValue("seat_limit,expansion_ready", "seat_limit", false, rules)).toBe(
      "expansion_ready",
    );
    expect(toggleValue("expansion_ready", "expansion_ready", false, rules)).toBe("");
    // A value the options do not know keeps its place after them.
    expect(toggleValue("old_rule, api_limit", "seat_limit", true, rules)).toBe(
      "seat_limit,api_limit,old_rule",
    );
    expect(toggleValue("30", "90", true, ["90", "60", "30"])).toBe("90,30");
  });

  it("offers the three roles, and an older role only to a step that has it", () => {
    expect(roleOptions("owner").map((r) => r.label)).toEqual([
      "Account owner",
      "Owner's lead",
      "Support lead",
    ]);
    expect(roleOptions("csm").map((r) => r.value)).toEqual([
      "owner",
      "leader",
      "support_lead",
      "csm",
    ]);
    expect(roleOptions("admin").map((r) => r.label)).toEqual([
      "Account owner",
      "Owner's lead",
      "Support lead",
      "Admin",
    ]);
  });
});

describe("draft", () => {
  it("round-trips a saved play without changes", () => {
    expect(changedFields(saved, toDefinition(fromPlaybook(saved)))).toEqual({});
  });

  it("round-trips several alert rules and bands through the draft", () => {
    const expansion: Playbook = {
      ...saved,
      key: "expansion-at-risk",
      trigger_type: "alert_rule",
      trigger_value: "expansion_ready,seat_limit,api_limit",
      trigger_bands: ["at_risk"],
    };
    const draft = fromPlaybook(expansion);
    expect(draft.trigger_value).toBe("expansion_ready,seat_limit,api_limit");
    expect(draft.trigger_bands).toEqual(["at_risk"]);
    const definition = toDefinition(draft);
    expect(definition.trigger_value).toBe("expansion_ready,seat_limit,api_limit");
    expect(definition.trigger_bands).toEqual(["at_risk"]);
    expect(changedFields(expansion, definition)).toEqual({});

    // Spaces and empty items are dropped; the saved value compares the same way.
    draft.trigger_value = " seat_limit , api_limit,, ";
    expect(toDefinition(draft).trigger_value).toBe("seat_limit,api_limit");
    expect(changedFields(expansion, toDefinition(draft))).toEqual({
      trigger_value: "seat_limit,api_limit",
    });
  });

  it("sends the bands that changed, in band order", () => {
    const draft = fromPlaybook(saved);
    draft.trigger_bands = ["at_risk", "watch"];
    expect(changedFields(saved, toDefinition(draft))).toEqual({
      trigger_bands: ["watch", "at_risk"],
    });
    // A manual play fires on nothing: it has neither value nor bands.
    draft.trigger_type = "manual";
    expect(toDefinition(draft)).toMatchObject({ trigger_value: null, trigger_bands: [] });
  });

  it("asks for at least one rule or milestone", () => {
    const draft = fromPlaybook(saved);
    draft.trigger_type = "alert_rule";
    draft.trigger_value = " , ";
    expect(Object.fromEntries(localErrors(draft))).toEqual({
      trigger_value: ["Tick at least one alert rule."],
    });
    draft.trigger_type = "renewal_milestone";
    draft.trigger_value = "";
    expect(Object.fromEntries(localErrors(draft))).toEqual({
      trigger_value: ["Tick at least one milestone."],
    });
    draft.trigger_value = "60";
    expect(localErrors(draft).size).toBe(0);
  });

  it("sends only what changed, blank texts as null", () => {
    const draft = fromPlaybook(saved);
    draft.email_body_template = "  ";
    draft.description = "Call them";
    draft.steps = [{ ...(draft.steps[0] as (typeof draft.steps)[0]), due: "5" }];
    expect(changedFields(saved, toDefinition(draft))).toEqual({
      description: "Call them",
      steps: [{ title: "Call", due_offset_days: 5, assignee_role: "owner" }],
      email_body_template: null,
    });
  });

  it("finds what it can check itself", () => {
    const draft = fromPlaybook(saved);
    draft.name = " ";
    draft.steps = [
      { uid: 1, title: "", due: "2", assignee_role: "owner" },
      { uid: 2, title: "Call", due: "400", assignee_role: "owner" },
      { uid: 3, title: "Call", due: "1.5", assignee_role: "owner" },
    ];
    expect(Object.fromEntries(localErrors(draft))).toEqual({
      name: ["Give the play a name."],
      "steps.0.title": ["Give the step a title."],
      "steps.1.due_offset_days": ["Whole days, 0 to 365."],
      "steps.2.due_offset_days": ["Whole days, 0 to 365."],
    });
  });

  it("keys a 422's errors by their field in the definition", () => {
    const error = new ApiError(
      422,
      {
        errors: [
          { loc: ["body", "email_body_template"], msg: "'nope' is undefined" },
          { loc: ["body", "definition", "steps", 0, "title"], msg: "Value error, too long" },
          { loc: ["body", "trigger_value"], msg: "unknown alert rule" },
          {
            loc: ["body", "trigger_bands", 1],
            msg: "Input should be 'healthy', 'watch' or 'at_risk'",
          },
        ],
      },
      "invalid",
    );
    expect(Object.fromEntries(fieldErrorsOf(error))).toEqual({
      email_body_template: ["'nope' is undefined"],
      "steps.0.title": ["too long"],
      trigger_value: ["unknown alert rule"],
      trigger_bands: ["Input should be 'healthy', 'watch' or 'at_risk'"],
    });
    expect(fieldErrorsOf(new ApiError(500, null, "boom")).size).toBe(0);
    expect(describePath("steps.1.title")).toBe("Step 2 title");
    expect(describePath("email_body_template")).toBe("Email body");
  });

  it("makes a key from the name", () => {
    expect(slugify("Churn-risk call (EMEA)")).toBe("churn-risk-call-emea");
    expect(slugify("  Café  Réunion!! ")).toBe("cafe-reunion");
    expect(slugify("A")).toBe("play-a");
    expect(slugify("!!!")).toBe("");
    expect(slugify("x".repeat(100))).toHaveLength(80);
    const taken = new Set(["churn-risk-call", "churn-risk-call-2"]);
    expect(uniqueKey("Churn-risk call", taken)).toBe("churn-risk-call-3");
    expect(uniqueKey("Onboarding", taken)).toBe("onboarding");
  });
});

describe("effects", () => {
  it("says how often runs were followed by an improvement", () => {
    expect(
      improvementSentence(
        { days: 30, measured: 2, improved: 1, rate: 0.5, mean_health_change: 1 },
        30,
      ),
    ).toBe("50% improved in 30 days (1 of 2)");
    expect(
      improvementSentence(
        { days: 60, measured: 0, improved: 0, rate: null, mean_health_change: null },
        60,
      ),
    ).toBe("No runs old enough to judge at 60 days yet");
  });
});

describe("searchState", () => {
  it("keeps a play id or new, and an account id; drops garbage", () => {
    const id = "B0000000-0000-4000-8000-000000000001";
    expect(parsePlaybooksSearch({ playbook: id, account: "nope" })).toEqual({
      playbook: id.toLowerCase(),
      account: "",
    });
    expect(validatePlaybooksSearch({ playbook: "new", account: saved.id })).toEqual({
      playbook: "new",
      account: saved.id,
    });
    expect(validatePlaybooksSearch({ playbook: "<script>", extra: "1" })).toEqual({});
  });
});

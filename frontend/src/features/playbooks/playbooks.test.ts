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
import { triggerInWords } from "./triggers";

const saved: Playbook = {
  id: "b0000000-0000-4000-8000-000000000001",
  key: "churn-risk-call",
  name: "Churn-risk call",
  description: null,
  trigger_type: "quadrant_move",
  trigger_value: "*->churn_risk",
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
    expect(triggerInWords("alert_rule", "critical_ticket")).toBe("Alert: critical ticket");
    expect(triggerInWords("alert_rule", "api_limit")).toBe("Alert: API limit");
    expect(triggerInWords("alert_rule", "brand_new_rule")).toBe("Alert: brand new rule");
    expect(triggerInWords("manual", null)).toBe("Manual");
  });
});

describe("draft", () => {
  it("round-trips a saved play without changes", () => {
    expect(changedFields(saved, toDefinition(fromPlaybook(saved)))).toEqual({});
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
        ],
      },
      "invalid",
    );
    expect(Object.fromEntries(fieldErrorsOf(error))).toEqual({
      email_body_template: ["'nope' is undefined"],
      "steps.0.title": ["too long"],
      trigger_value: ["unknown alert rule"],
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

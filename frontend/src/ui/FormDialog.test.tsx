import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { FormEvent } from "react";
import { describe, expect, it, vi } from "vitest";
import { FormDialog } from "./FormDialog";

function renderDialog(props: Partial<Parameters<typeof FormDialog>[0]> = {}) {
  const onSubmit = vi.fn((event: FormEvent<HTMLFormElement>) => event.preventDefault());
  const onClose = vi.fn();
  render(
    <FormDialog
      title="Invite a user"
      onClose={onClose}
      onSubmit={onSubmit}
      submitLabel="Invite"
      pendingLabel="Inviting…"
      pending={false}
      {...props}
    >
      <label>
        Email
        <input type="email" required />
      </label>
    </FormDialog>,
  );
  return { onSubmit, onClose };
}

describe("FormDialog", () => {
  it("sends its form from the footer's button, and Cancel closes it", async () => {
    const user = userEvent.setup();
    const { onSubmit, onClose } = renderDialog();
    const dialog = screen.getByRole("dialog", { name: "Invite a user" });
    const submit = screen.getByRole("button", { name: "Invite" });
    const form = dialog.querySelector("form");
    expect(form).toHaveClass("dialog-form");
    expect(form?.noValidate).toBe(true);
    expect(form?.contains(screen.getByLabelText("Email"))).toBe(true);
    expect(form?.contains(submit)).toBe(false);
    expect(submit).toHaveAttribute("type", "submit");
    expect(submit).toHaveAttribute("form", form?.id);
    expect(submit).toBeEnabled();
    expect(screen.getByLabelText("Email")).toHaveFocus();

    // The empty required field does not stop it: the form checks its own fields.
    await user.click(submit);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onClose).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it("turns the button off while the form is invalid", async () => {
    const user = userEvent.setup();
    const { onSubmit } = renderDialog({ disabled: true });
    const submit = screen.getByRole("button", { name: "Invite" });
    expect(submit).toBeDisabled();
    await user.click(submit);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("says the pending label, turned off, while the request runs", () => {
    renderDialog({ pending: true });
    expect(screen.queryByRole("button", { name: "Invite" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Inviting…" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Cancel" })).toBeEnabled();
  });

  it("adds the form's classes and name, and the button's tooltip", () => {
    renderDialog({
      formClassName: "log-form",
      formLabel: "Log work",
      submitTitle: "Read-only",
      disabled: true,
    });
    const form = screen.getByRole("form", { name: "Log work" });
    expect(form).toHaveClass("dialog-form", "log-form");
    expect(screen.getByRole("button", { name: "Invite" })).toHaveAttribute("title", "Read-only");
  });

  it("gives each open dialog its own form", () => {
    renderDialog();
    renderDialog({ title: "Edit a user", submitLabel: "Save" });
    const forms = [...document.querySelectorAll("form")];
    expect(forms).toHaveLength(2);
    expect(forms[0]?.id).not.toBe(forms[1]?.id);
    expect(screen.getByRole("button", { name: "Invite" })).toHaveAttribute("form", forms[0]?.id);
    expect(screen.getByRole("button", { name: "Save" })).toHaveAttribute("form", forms[1]?.id);
  });
});

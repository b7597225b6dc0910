import { type FormEvent, type ReactNode, useId } from "react";
import { Dialog } from "./Dialog";

/**
 * A dialog around one form: the fields in the body, Cancel and the submit button in the
 * footer. The submit button is off while the form is invalid (`disabled`) or its request runs
 * (`pending`), and then says `pendingLabel`. The form does its own checks (`noValidate`).
 */
export function FormDialog({
  title,
  onClose,
  onSubmit,
  submitLabel,
  pendingLabel,
  pending,
  disabled = false,
  submitTitle,
  formClassName,
  formLabel,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** The form can't be sent as it is (invalid, unchanged, read-only). */
  disabled?: boolean;
  /** The submit button's tooltip, e.g. why it is off. */
  submitTitle?: string;
  /** Classes added to `dialog-form`. */
  formClassName?: string;
  /** The form's accessible name, where it needs one besides the dialog's title. */
  formLabel?: string;
  children: ReactNode;
}) {
  const formId = useId();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form={formId}
            className="btn btn-primary"
            disabled={disabled || pending}
            title={submitTitle}
          >
            {pending ? pendingLabel : submitLabel}
          </button>
        </>
      }
    >
      <form
        id={formId}
        className={formClassName ? `dialog-form ${formClassName}` : "dialog-form"}
        aria-label={formLabel}
        onSubmit={onSubmit}
        noValidate
      >
        {children}
      </form>
    </Dialog>
  );
}

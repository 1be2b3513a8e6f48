/*
 * On a pre-rendered public page a visitor can type, pick and tick before the script has arrived.
 * Hydration keeps what the fields show but not what the components hold (their state starts from
 * the server's markup), so a search would then run without the words on screen. What differs from
 * the markup is noted before hydration and handed to the components afterwards as ordinary input
 * events, the way React's own change tracking sees a visitor's input.
 */

import { useEffect } from 'react';

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
interface EarlyInput {
  field: Field;
  value: string;
  checked: boolean;
}

const isCheckable = (f: Field): f is HTMLInputElement => f instanceof HTMLInputElement && (f.type === 'checkbox' || f.type === 'radio');

function changedFromMarkup(f: Field): boolean {
  if (isCheckable(f)) return f.checked !== f.defaultChecked;
  if (f instanceof HTMLSelectElement) return [...f.options].some((o) => o.selected !== o.defaultSelected);
  return f.value !== f.defaultValue;
}

let noted: EarlyInput[] = [];

/** Before hydration (main.tsx): the fields in `root` whose value a visitor has changed from the pre-rendered markup. */
export function noteEarlyInput(root: HTMLElement): void {
  noted = [...root.querySelectorAll<Field>('input, select, textarea')]
    .filter(changedFromMarkup)
    .map((field) => ({ field, value: field.value, checked: isCheckable(field) && field.checked }));
}

/**
 * In the public pages' layout: once the page inside it has hydrated, its components receive the
 * noted input. (Not at the root: App's Suspense boundary hydrates after the root has committed.)
 */
export function useEarlyInput(): void {
  useEffect(() => {
    const inputs = noted;
    noted = [];
    replay(inputs);
  }, []);
}

function replay(inputs: EarlyInput[]): void {
  for (const { field, value, checked } of inputs) {
    if (!field.isConnected) continue;
    const proto = Object.getPrototypeOf(field) as object;
    if (isCheckable(field)) {
      // React notes the value it last saw through the element's own setter; the prototype's setter
      // bypasses it, so the next event counts as a change (a plain Event, unlike a click, toggles nothing).
      field.checked = !checked;
      Object.getOwnPropertyDescriptor(proto, 'checked')!.set!.call(field, checked);
      field.dispatchEvent(new Event('click', { bubbles: true }));
    } else {
      field.value = '';
      Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(field, value);
      field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
    }
  }
}

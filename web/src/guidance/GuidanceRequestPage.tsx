export function GuidanceRequestPage() {
  return null;
}

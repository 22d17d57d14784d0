// Apply the reader's theme choice before the first paint (loaded without defer or async).
try {
  const theme = localStorage.getItem("citeguide-theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch {
  // storage refused: the system theme applies
}

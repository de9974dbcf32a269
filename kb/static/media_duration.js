// The recording form reads the length of the video staff choose and fills in an empty duration
// (minutes); a file the browser cannot read, or one without a known length, changes nothing.
document.querySelectorAll("input[type=file][data-duration-field]").forEach((input) => {
  const target = document.getElementById(input.dataset.durationField);
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    if (!file || !target || target.value) return;
    const url = URL.createObjectURL(file);
    const video = document.createElement("video");
    video.preload = "metadata";
    video.addEventListener("loadedmetadata", () => {
      if (Number.isFinite(video.duration) && video.duration > 0 && !target.value) {
        target.value = Math.max(1, Math.round(video.duration / 60));
      }
      URL.revokeObjectURL(url);
    }, { once: true });
    video.addEventListener("error", () => URL.revokeObjectURL(url), { once: true });
    video.src = url;
  });
});

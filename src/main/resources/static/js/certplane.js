// Copy buttons: <button data-copy="#element-id"> copies that element's text. Kept in a file because the
// content security policy allows no inline script.
document.addEventListener('click', function (event) {
  const button = event.target.closest('[data-copy]');
  if (!button) {
    return;
  }
  const source = document.querySelector(button.getAttribute('data-copy'));
  if (!source) {
    return;
  }
  const text = source.value !== undefined ? source.value : source.textContent;
  const done = function () {
    const label = button.textContent;
    button.textContent = 'Copied';
    button.setAttribute('aria-live', 'polite');
    setTimeout(function () { button.textContent = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, function () { select(source); });
  } else {
    select(source);
  }
});

function select(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

// Confirmation for destructive buttons: <button data-confirm="Revoke this token?">.
document.addEventListener('submit', function (event) {
  const button = event.submitter;
  if (button && button.hasAttribute('data-confirm') && !window.confirm(button.getAttribute('data-confirm'))) {
    event.preventDefault();
  }
});

/* global document, location, URLSearchParams */
import { flash } from './console.js';

/** The page you came from, fragment included: the server never sees the fragment, the browser keeps it. */
const params = new URLSearchParams(location.search);
document.getElementById('redirect-uri').value = (params.get('redirect_uri') || '/console/') + location.hash;
if (params.get('error') === 'credentials') {
  flash('error', 'Your authentication information is incorrect. Please try again.');
}

'use strict';
// The hall server's start page: links to the counter console and the dashboard, in Dutch or English.
Loket.initPage();

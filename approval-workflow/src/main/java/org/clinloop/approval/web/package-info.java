/**
 * REST edges of the approval workflow (under {@code /api}): parse, authorize by role, hand off to
 * the domain, map domain refusals to HTTP. No decisions are made here.
 */
package org.clinloop.approval.web;
